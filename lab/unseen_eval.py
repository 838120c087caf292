#!/usr/bin/env python3
"""Held-out NER scores split by whether a name was seen in training (issue 12).

The held-out sentences of `train-ner --tune` (every tenth MSRA train sentence, every fifth
People's Daily dev sentence; written by `train-ner --tune --lang zh --write-held DIR`) are
dominated by names the training part also holds, while MSRA test and real news are
dominated by names it never shows. This scores predictions on the held-out sentences twice:
over all entities, and over the *unseen* ones only: a gold entity is unseen when its surface
(NFKC, lower-case) never occurs as an entity of any type in the training part (MSRA train
minus its held-out tenth, People's Daily dev minus its held-out fifth; `--other` adds
CLUENER and Weibo train+dev); a false positive is unseen when the predicted surface is.

Predictions come from the whole pipeline (`--cmd`, as for ner_eval.py) or from a JSON Lines
file of tagger spans (`--spans`, the output of `lab/examples/tagger_spans.rs`: one
`{"id", "spans": [[start, end, "PER"], ...]}` per sentence, one file per set given as
`SET=FILE`).

    python3 lab/unseen_eval.py --held DIR --cmd 'BIN extract - -o - --quiet'
    python3 lab/unseen_eval.py --held DIR --spans h/msra=msra.spans.jsonl
    python3 lab/unseen_eval.py --held DIR --spans h/msra=new.jsonl --base h/msra=old.jsonl

With `--base` (tagger spans of a baseline, `SET=FILE`) it also prints the difference in
F1 (all and unseen) with a paired bootstrap over sentences (1,000 resamples, fixed seed):
the share of resamples in which the new predictions score higher, so that a gain can be
told from the noise of a few hundred unseen names.
"""
import argparse
import json
import os
import subprocess
import sys
import unicodedata

MAP = {"PER": "PER", "PERSON": "PER", "LOC": "LOC", "ORG": "ORG", "PER.NAM": "PER",
       "ORG.NAM": "ORG", "LOC.NAM": "LOC", "GPE.NAM": "LOC", "name": "PER",
       "organization": "ORG", "company": "ORG", "government": "ORG", "address": "LOC",
       "scene": "LOC"}
TYPES = ("PER", "ORG", "LOC")


def key(s):
    return unicodedata.normalize("NFKC", s).lower()


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def seen_surfaces(data, other):
    """Surfaces of the entities of the training part, split exactly as `train-ner --tune`."""
    seen = set()

    def add(rows, keep):
        for i, g in enumerate(rows):
            if not keep(i):
                continue
            for e in g["entities"]:
                if e["type"] in MAP:
                    seen.add(key(g["text"][e["start"]:e["end"]]))

    add(read(os.path.join(data, "msra/train.jsonl")), lambda i: i % 10 != 0)
    add(read(os.path.join(data, "peoples_daily/dev.jsonl")), lambda i: i % 5 != 0)
    if other:
        for rel in ("cluener/train.jsonl", "cluener/dev.jsonl", "weibo/train.jsonl",
                    "weibo/dev.jsonl"):
            add(read(os.path.join(data, rel)), lambda i: True)
    return seen


def pipeline_spans(cmd, gold):
    inp = "".join(json.dumps({"id": g["id"], "text": g["text"]}, ensure_ascii=False) + "\n"
                  for g in gold)
    r = subprocess.run(cmd, shell=True, input=inp.encode(), capture_output=True, check=True)
    pred = {}
    for line in r.stdout.decode().splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        s = set()
        for e in rec.get("entities") or []:
            t = MAP.get(e.get("type"))
            if t:
                for m in e.get("mentions") or []:
                    s.add((m["start"], m["end"], t))
        pred[str(rec["id"])] = s
    return pred


def file_spans(path):
    return {str(r["id"]): {(a, b, MAP.get(t, t)) for a, b, t in r["spans"]} for r in read(path)}


def score(gold, pred, seen):
    """Counts [tp, fp, fn] per (scope, type), scope 'all' or 'unseen'."""
    c = {(s, t): [0, 0, 0] for s in ("all", "unseen") for t in TYPES}
    for g in gold:
        text = g["text"]
        gs = {(e["start"], e["end"], MAP[e["type"]]) for e in g["entities"] if e["type"] in MAP}
        ps = pred.get(str(g["id"]), set())
        for x in gs | ps:
            if x[2] not in TYPES:
                continue
            i = 0 if (x in gs and x in ps) else (1 if x in ps else 2)
            c[("all", x[2])][i] += 1
            if key(text[x[0]:x[1]]) not in seen:
                c[("unseen", x[2])][i] += 1
    return c


def sentence_counts(gold, pred, seen):
    """Per sentence: (tp, fp, fn) over all entities and over unseen ones."""
    out = []
    for g in gold:
        c = score([g], pred, seen)
        out.append(tuple(tuple(sum(c[(s, t)][i] for t in TYPES) for i in range(3))
                         for s in ("all", "unseen")))
    return out


def bootstrap(new, old, n=1000, seed=12):
    """Paired bootstrap over sentences: mean difference in F1 and the share of resamples
    where `new` scores higher, for all and for unseen entities."""
    import random
    rng = random.Random(seed)
    m = len(new)

    def f1(rows, idx, scope):
        tp = sum(rows[i][scope][0] for i in idx)
        fp = sum(rows[i][scope][1] for i in idx)
        fn = sum(rows[i][scope][2] for i in idx)
        return prf(tp, fp, fn)[2]

    res = []
    for scope in (0, 1):
        full = range(m)
        delta = f1(new, full, scope) - f1(old, full, scope)
        wins = 0
        for _ in range(n):
            idx = [rng.randrange(m) for _ in range(m)]
            wins += f1(new, idx, scope) > f1(old, idx, scope)
        res.append((delta, wins / n))
    return res


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(name, c):
    lines = []
    for scope in ("all", "unseen"):
        tot = [sum(c[(scope, t)][i] for t in TYPES) for i in range(3)]
        p, r, f = prf(*tot)
        parts = [f"{name} {scope:6s} F1 {f:.4f} (P {p:.4f} R {r:.4f}, n {tot[0] + tot[2]})"]
        for t in TYPES:
            tp, fp, fn = c[(scope, t)]
            p, r, f = prf(tp, fp, fn)
            parts.append(f"{t} {f:.4f} ({p:.3f}/{r:.3f} {tp}/{fp}/{fn})")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--held", required=True, help="directory holding h/msra.jsonl, h/pd.jsonl")
    ap.add_argument("--data", default="../shared/data/ner")
    ap.add_argument("--sets", default="h/msra,h/pd")
    ap.add_argument("--cmd", help="pipeline command (JSON Lines in, JSON Lines out)")
    ap.add_argument("--spans", action="append", default=[], help="SET=FILE of tagger spans")
    ap.add_argument("--base", action="append", default=[],
                    help="SET=FILE of a baseline's tagger spans: paired bootstrap of the gain")
    ap.add_argument("--other", action="store_true", help="CLUENER and Weibo names count as seen")
    ap.add_argument("--json", help="write the counts here")
    ap.add_argument("--write-spans", help="write the pipeline's spans as DIR/SET.spans.jsonl "
                    "(for a later --spans or --base)")
    a = ap.parse_args()
    seen = seen_surfaces(a.data, a.other)
    spans = dict(s.split("=", 1) for s in a.spans)
    out = {}
    for name in a.sets.split(","):
        gold = read(os.path.join(a.held, name + ".jsonl"))
        if a.cmd:
            pred = pipeline_spans(a.cmd, gold)
            if a.write_spans:
                path = os.path.join(a.write_spans, name.replace("/", "_") + ".spans.jsonl")
                with open(path, "w", encoding="utf-8") as f:
                    for g in gold:
                        row = sorted(pred.get(str(g["id"]), set()))
                        f.write(json.dumps({"id": g["id"], "spans": row}, ensure_ascii=False)
                                + "\n")
        elif name in spans:
            pred = file_spans(spans[name])
        else:
            continue
        c = score(gold, pred, seen)
        out[name] = {f"{s}/{t}": v for (s, t), v in c.items()}
        print(report(name, c))
        base = dict(b.split("=", 1) for b in a.base)
        if name in base:
            old = file_spans(base[name])
            res = bootstrap(sentence_counts(gold, pred, seen), sentence_counts(gold, old, seen))
            print(f"{name} vs base: all {res[0][0]:+.4f} (better in {res[0][1]:.0%} of resamples), "
                  f"unseen {res[1][0]:+.4f} (better in {res[1][1]:.0%})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    if not out:
        sys.exit("nothing scored: give --cmd or --spans SET=FILE")


if __name__ == "__main__":
    main()
