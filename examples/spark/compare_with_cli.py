"""Checks that the Spark job wrote the CLI's rows: every table, every row, every cell.

    python examples/spark/compare_with_cli.py CLI_OUT SPARK_OUT            # --via wheel output
    python examples/spark/compare_with_cli.py CLI_OUT SPARK_OUT --records  # --via cli output

CLI_OUT is `newsfacts extract INPUT -o CLI_OUT --raw-csv` on the same input (--raw-csv: no
apostrophe before a cell that starts like a formula; Parquet holds the text as it is). With the wheel's Parquet
tables, each table's rows (cells written back as the CSV writer writes them, rows sorted)
must equal the CSV file's; `value`/`max`/`percent` are doubles, so they are compared with
the double nearest the CSV's exact decimal; only `documents.path` differs (the CLI's file
path, empty in Spark). With --records, the JSON records of OUTPUT/records/ must equal documents.jsonl
(sorted by id; `path` aside, which is `-` for standard input). Prints one line per table
and `N passed, N failed`; exits 1 on any difference.
"""

import csv
import glob
import json
import sys
from pathlib import Path


def csv_cell(v):
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def compare_tables(cli_out, spark_out):
    import pyarrow.parquet as pq

    import newsfacts

    results = []
    for table in newsfacts.TABLES:
        header, cli_rows = read_csv(cli_out / f"{table}.csv")
        parts = sorted(glob.glob(str(spark_out / table / "*.parquet")))
        if not parts:
            results.append((table, False, f"no Parquet files in {spark_out / table}"))
            continue
        t = pq.ParquetDataset(str(spark_out / table)).read()
        if t.schema.names != header:
            results.append((table, False, f"columns {t.schema.names} != CSV header {header}"))
            continue
        cols = [t.column(name).to_pylist() for name in header]
        spark_rows = [[csv_cell(v) for v in row] for row in zip(*cols)]
        # A float column holds the double nearest the CLI's exact decimal
        # (33.333333333333333333 -> 33.333333333333336): compare as doubles.
        floats = [i for i, (_, kind) in enumerate(newsfacts.COLUMNS[table]) if kind == "float64"]
        for row in cli_rows:
            for i in floats:
                row[i] = csv_cell(float(row[i])) if row[i] else ""
        if table == "documents":
            i = header.index("path")
            for row in cli_rows + spark_rows:
                row[i] = ""
        same = sorted(cli_rows) == sorted(spark_rows)
        detail = f"{len(spark_rows)} rows (CLI {len(cli_rows)})"
        if not same and len(cli_rows) == len(spark_rows):
            diff = next(
                (a, b) for a, b in zip(sorted(cli_rows), sorted(spark_rows)) if a != b
            )
            detail += f"; first difference: CLI {diff[0]} vs Spark {diff[1]}"
        results.append((table, same and len(cli_rows) > 0, detail))
    return results


def compare_records(cli_out, spark_out):
    def load(lines):
        recs = [json.loads(l) for l in lines if l.strip()]
        for r in recs:
            r.pop("path", None)
        return sorted(recs, key=lambda r: r["id"])

    cli = load((cli_out / "documents.jsonl").read_text(encoding="utf-8").splitlines())
    spark = load(
        line
        for part in sorted(glob.glob(str(spark_out / "records" / "part-*")))
        for line in Path(part).read_text(encoding="utf-8").splitlines()
    )
    same = cli == spark
    return [("records", same and len(cli) > 0, f"{len(spark)} records (CLI {len(cli)})")]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    records = "--records" in argv
    paths = [a for a in argv if a != "--records"]
    if len(paths) != 2:
        sys.exit(__doc__)
    cli_out, spark_out = map(Path, paths)
    results = compare_records(cli_out, spark_out) if records else compare_tables(cli_out, spark_out)
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    passed = sum(ok for _, ok, _ in results)
    print(f"spark vs cli: {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
