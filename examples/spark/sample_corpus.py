"""Writes a folder of JSON Lines documents from ../shared/data/corpus for the Spark job.

    python examples/spark/sample_corpus.py OUT_DIR [--docs 2000 | --mb 20] [--corpus DIR]

Each line of the corpus files is one article or sentence; each becomes one JSON line
{"id": "<file>-<line>", "text": ...} in OUT_DIR/<file>.jsonl. Documents are taken
round-robin from the files (Simplified Chinese, English, Traditional Chinese), so any
sample mixes the three, until --docs documents or --mb megabytes of text are taken.
"""

import argparse
import json
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "corpus"
FILES = ["zh_news.txt", "en_news.txt", "zh_hant_news.txt"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    limit = ap.add_mutually_exclusive_group(required=True)
    limit.add_argument("--docs", type=int, help="number of documents")
    limit.add_argument("--mb", type=float, help="megabytes of JSON Lines")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)

    sources = []
    for name in FILES:
        path = args.corpus / name
        if not path.is_file():
            sys.exit(f"sample_corpus: {path} is missing (the shared data folder ../shared next to the repository)")
        sources.append((Path(name).stem, open(path, encoding="utf-8")))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    outs = {stem: open(args.out_dir / f"{stem}.jsonl", "w", encoding="utf-8") for stem, _ in sources}
    line_no = {stem: 0 for stem, _ in sources}
    docs = written = 0
    budget = args.mb * 1_000_000 if args.mb else None
    live = list(sources)
    while live and (args.docs is None or docs < args.docs) and (budget is None or written < budget):
        for stem, f in list(live):
            line = f.readline()
            if not line:
                live.remove((stem, f))
                continue
            line_no[stem] += 1
            text = line.strip()
            if not text:
                continue
            record = json.dumps({"id": f"{stem}-{line_no[stem]}", "text": text}, ensure_ascii=False) + "\n"
            outs[stem].write(record)
            written += len(record.encode("utf-8"))
            docs += 1
            if (args.docs is not None and docs >= args.docs) or (budget is not None and written >= budget):
                break
    for f in outs.values():
        f.close()
    print(f"sample_corpus: {docs} documents, {written / 1e6:.1f} MB in {args.out_dir}")


if __name__ == "__main__":
    main()
