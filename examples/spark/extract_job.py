"""newsfacts as a step of a Spark job: a folder of JSON Lines in, the five tables out.

    python examples/spark/extract_job.py INPUT OUTPUT [--master local[2]] [--partitions N]
    python examples/spark/extract_job.py INPUT OUTPUT --via cli [--cli PATH]

INPUT is a folder (or file, or glob) of JSON Lines, one {"id", "text", "date"} a line as
for `newsfacts extract` (only text is required; give ids, since a Spark worker cannot
number lines across a file the way the CLI does).

--via wheel (default): each partition goes through the Python wheel (`pip install
./python` on every worker) with `mapInArrow`, once, into one nested row per document;
that result is cached and written as OUTPUT/{documents,entities,amounts,dates,facts}/
Parquet, with the CSV tables' columns.

--via cli: for clusters where the wheel cannot be installed, each partition's lines are
piped through the CLI (`RDD.pipe("newsfacts extract - -o - --quiet --threads 1")`), which
must be on every worker's PATH (or given by --cli). Its output, the JSON record of each
document (the lines of documents.jsonl), is written as text to OUTPUT/records/.

Both print the seconds and MB/s from a started JVM to the last file written, and write
OUTPUT/_summary.json (rows per table, seconds, bytes).
"""

import argparse
import glob
import json
import os
import sys
import time
from pathlib import Path


def ddl(arrow_type, pa):
    """A Spark DDL type for a pyarrow type (the few the newsfacts schema uses)."""
    if pa.types.is_struct(arrow_type):
        fields = ", ".join(f"`{f.name}`: {ddl(f.type, pa)}" for f in arrow_type)
        return f"STRUCT<{fields}>"
    if pa.types.is_list(arrow_type):
        return f"ARRAY<{ddl(arrow_type.value_type, pa)}>"
    simple = {
        pa.string(): "STRING",
        pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
    }
    return simple[arrow_type]


def schema_ddl(schema, pa):
    return ", ".join(f"`{f.name}` {ddl(f.type, pa)}" for f in schema)


def input_bytes(path):
    files = [p for p in glob.glob(path) or [path]]
    total = 0
    for p in files:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                total += sum(os.path.getsize(os.path.join(root, n)) for n in names if not n.startswith((".", "_")))
        elif os.path.isfile(p):
            total += os.path.getsize(p)
    return total


def run_wheel(spark, args):
    import pyarrow as pa
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    import newsfacts

    nested_schema = schema_ddl(newsfacts.arrow_schema(), pa)
    docs = spark.read.schema("id STRING, text STRING, date STRING").json(args.input)
    docs = docs.repartition(args.partitions)

    def extract_partition(batches):
        # Imported here as well: this runs in Spark's Python workers.
        import newsfacts

        # One task per core already: one native thread per task.
        return newsfacts.map_arrow(batches, threads=1)

    nested = docs.mapInArrow(extract_partition, nested_schema)
    nested = nested.persist(StorageLevel.MEMORY_AND_DISK)
    out = args.output.rstrip("/")
    for table in newsfacts.TABLES:
        if table == "documents":
            rows = nested.select("documents.*")
        else:
            rows = nested.select(F.explode(table).alias("row")).select("row.*")
        rows.write.mode("overwrite").parquet(f"{out}/{table}")
    nested.unpersist()
    return list(newsfacts.TABLES)


def run_cli(spark, args):
    lines = spark.sparkContext.textFile(args.input).repartition(args.partitions)
    command = [args.cli, "extract", "-", "-o", "-", "--quiet", "--threads", "1"]
    records = lines.pipe(" ".join(command))
    out = args.output.rstrip("/")
    records.saveAsTextFile(f"{out}/records")
    return ["records"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="folder, file or glob of JSON Lines")
    ap.add_argument("output", help="output folder (replaced)")
    ap.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    ap.add_argument("--partitions", type=int, default=None, help="default: 4 per core")
    ap.add_argument("--via", choices=["wheel", "cli"], default="wheel")
    ap.add_argument("--cli", default="newsfacts", help="the newsfacts binary for --via cli")
    args = ap.parse_args(argv)

    # Spark's Python workers must find newsfacts: run them with this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    t0 = time.time()
    spark = (
        SparkSession.builder.master(args.master)
        .appName("newsfacts-extract")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jvm_seconds = time.time() - t0
    if args.partitions is None:
        args.partitions = 4 * spark.sparkContext.defaultParallelism

    t1 = time.time()
    written = run_wheel(spark, args) if args.via == "wheel" else run_cli(spark, args)
    seconds = time.time() - t1
    out = args.output.rstrip("/")
    counts = {
        name: (spark.read.text if name == "records" else spark.read.parquet)(f"{out}/{name}").count()
        for name in written
    }
    size = input_bytes(args.input)
    summary = {
        "via": args.via,
        "master": args.master,
        "partitions": args.partitions,
        "bytes": size,
        "jvm_start_seconds": round(jvm_seconds, 2),
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / 1e6 / seconds, 2) if seconds > 0 else None,
        "rows": counts,
    }
    spark.stop()
    Path(args.output).mkdir(parents=True, exist_ok=True)
    (Path(args.output) / "_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    rows = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(
        f"newsfacts spark ({args.via}, {args.master}): {size / 1e6:.1f} MB in {seconds:.1f} s "
        f"= {summary['mb_per_s']} MB/s after a {jvm_seconds:.1f} s JVM start; rows: {rows}"
    )


if __name__ == "__main__":
    main()
