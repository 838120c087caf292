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

--via wheel-tasks: the same through the wheel in one pass without the cache: each task
writes its partition's five Parquet files with pyarrow (atomically, named by partition) and
the driver keeps the files of the finished tasks. Faster (no second pass over the cached
rows in the JVM); OUTPUT must be a path every worker can write (local or shared).

--via cli: for clusters where the wheel cannot be installed, each partition's lines are
piped through the CLI (`RDD.pipe("newsfacts extract - -o - --quiet --threads 1")`), which
must be on every worker's PATH (or given by --cli). Its output, the JSON record of each
document (the lines of documents.jsonl), is written as text to OUTPUT/records/.

Both print the seconds and MB/s from a started JVM (after a trivial Arrow job that starts
Spark's Python workers, as on a running cluster) to the last file written, and write
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


def process_cpu(pid):
    """User + system CPU seconds of a process and of its children that ended (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime are fields 14-17 of stat; [0] here is field 3.
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


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


def read_lines(spark, path):
    """The JSON Lines records as raw lines (column `value`), blank lines dropped as the CLI
    drops them; the wheel parses each line exactly as `newsfacts extract` does."""
    from pyspark.sql import functions as F

    return spark.read.text(path).filter(F.col("value").rlike("\\S"))


def run_wheel(spark, args):
    import pyarrow as pa
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    import newsfacts

    nested_schema = schema_ddl(newsfacts.arrow_schema(), pa)
    docs = read_lines(spark, args.input)

    worker_cpu = spark.sparkContext.accumulator(0.0)
    threads = args.threads

    def extract_partition(batches):
        # Imported here as well: this runs in Spark's Python workers.
        import newsfacts

        start = time.process_time()
        yield from newsfacts.map_arrow(batches, threads=threads, lines="value")
        worker_cpu.add(time.process_time() - start)

    nested = docs.mapInArrow(extract_partition, nested_schema)
    nested = nested.persist(StorageLevel.MEMORY_AND_DISK)
    out = args.output.rstrip("/")
    for table in newsfacts.TABLES:
        if table == "documents":
            rows = nested.select("documents.*")
        else:
            rows = nested.select(F.explode(table).alias("row")).select("row.*")
        t = time.time()
        rows.write.mode("overwrite").parquet(f"{out}/{table}")
        print(f"extract_job: {table} written in {time.time() - t:.1f} s", file=sys.stderr)
    nested.unpersist()
    return list(newsfacts.TABLES), worker_cpu.value


def run_task_writer(spark, args):
    """One pass, no cache: each task writes its partition's five Parquet files itself
    (pyarrow), under a name fixed by the partition, through a temporary name and a
    rename, so a retried or speculative attempt replaces the file whole. The driver
    keeps the files the finished tasks reported, removes any other, and marks each
    table folder with _SUCCESS. Needs an OUTPUT all workers see as a file path."""
    import shutil

    import newsfacts

    out = Path(args.output).resolve()
    for table in newsfacts.TABLES:
        shutil.rmtree(out / table, ignore_errors=True)
        (out / table).mkdir(parents=True)
    out_dir = str(out)
    threads = args.threads

    def write_partition(batches):
        import pyarrow as pa
        import pyarrow.parquet as pq
        from pyspark import TaskContext

        import newsfacts

        start = time.process_time()
        ctx = TaskContext.get()
        part, attempt = ctx.partitionId(), ctx.attemptNumber()
        writers, rows = {}, dict.fromkeys(newsfacts.TABLES, 0)
        for batch in batches:
            for table, rb in newsfacts.arrow_tables(batch, threads=threads, lines="value").items():
                if table not in writers:
                    tmp = f"{out_dir}/{table}/.part-{part:05d}-{attempt}.tmp"
                    writers[table] = (tmp, pq.ParquetWriter(tmp, rb.schema))
                writers[table][1].write_batch(rb)
                rows[table] += rb.num_rows
        files = []
        for table, (tmp, writer) in writers.items():
            writer.close()
            final = f"{out_dir}/{table}/part-{part:05d}.parquet"
            os.replace(tmp, final)
            files.append((table, final, rows[table]))
        cpu = time.process_time() - start
        yield pa.record_batch(
            {
                "table": [f[0] for f in files],
                "file": [f[1] for f in files],
                "rows": [f[2] for f in files],
                "cpu": [cpu / max(1, len(files))] * len(files),
            }
        )

    docs = read_lines(spark, args.input)
    report = docs.mapInArrow(write_partition, "table STRING, file STRING, rows BIGINT, cpu DOUBLE").collect()
    kept = {r["file"] for r in report}
    for table in newsfacts.TABLES:
        for f in (out / table).iterdir():
            if str(f) not in kept:
                f.unlink()
        (out / table / "_SUCCESS").touch()
    return list(newsfacts.TABLES), sum(r["cpu"] for r in report)


def run_cli(spark, args):
    lines = spark.sparkContext.textFile(args.input, minPartitions=args.partitions)
    command = [args.cli, "extract", "-", "-o", "-", "--quiet", "--threads", "1"]
    records = lines.pipe(" ".join(command))
    out = args.output.rstrip("/")
    records.saveAsTextFile(f"{out}/records")
    return ["records"], 0.0


def warm_up(spark):
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsfacts-warm-") as tmp:
        # Two files: two partitions, so both Python workers of local[2] start.
        for part in range(2):
            (Path(tmp) / f"warm{part}.jsonl").write_text(
                "".join(json.dumps({"id": f"w{i}", "text": "warm up " * (i % 50)}) + "\n" for i in range(10000)),
                encoding="utf-8",
            )
        for _ in range(2):
            read_lines(spark, tmp).mapInArrow(lambda batches: batches, "value STRING").count()
            spark.sparkContext.textFile(tmp, minPartitions=2).pipe("cat").count()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="folder, file or glob of JSON Lines")
    ap.add_argument("output", help="output folder (replaced)")
    ap.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    ap.add_argument("--partitions", type=int, default=None, help="default: 4 per core")
    ap.add_argument(
        "--via",
        choices=["wheel", "wheel-tasks", "cli"],
        default="wheel",
        help="wheel: mapInArrow + DataFrame writes; wheel-tasks: each task writes its Parquet files; cli: RDD.pipe",
    )
    ap.add_argument("--cli", default="newsfacts", help="the newsfacts binary for --via cli")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="native threads per task for the wheel variants (default 1: Spark already runs one task per core)",
    )
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
    # Warm-up, as on a running cluster: trivial jobs that start Spark's Python workers and
    # let the JIT compile the paths the run takes (text read, Arrow to Python, pipe).
    # newsfacts is not touched, so loading its tables and models stays measured.
    warm_up(spark)
    jvm_seconds = time.time() - t0
    if args.partitions is None:
        args.partitions = 4 * spark.sparkContext.defaultParallelism

    jvm_pid = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())
    cpu0 = process_cpu(jvm_pid) + time.process_time()
    t1 = time.time()
    # Input splits of about size / partitions bytes, so no shuffle is needed to spread
    # the documents over the cores (JSON Lines files split at line ends).
    split = max(1 << 20, input_bytes(args.input) // args.partitions + 1)
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(split))
    spark.conf.set("spark.sql.files.openCostInBytes", str(split // 8))
    run = {"wheel": run_wheel, "wheel-tasks": run_task_writer, "cli": run_cli}[args.via]
    written, worker_cpu = run(spark, args)
    seconds = time.time() - t1
    cpu = process_cpu(jvm_pid) + time.process_time() - cpu0 + worker_cpu
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
        # CPU of the JVM (with the CLI processes it ran for --via cli), of the Python
        # workers' tasks and of this driver: comparable with the CLI's user+sys time
        # whatever else the machine is doing.
        # (Not for --via cli: the CLI processes' CPU is not counted there.)
        "cpu_seconds": round(cpu, 2) if args.via != "cli" else None,
        "python_worker_cpu_seconds": round(worker_cpu, 2),
        "rows": counts,
    }
    spark.stop()
    Path(args.output).mkdir(parents=True, exist_ok=True)
    (Path(args.output) / "_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    rows = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(
        f"newsfacts spark ({args.via}, {args.master}): {size / 1e6:.1f} MB in {seconds:.1f} s "
        f"= {summary['mb_per_s']} MB/s ({summary['cpu_seconds']} s CPU) after a {jvm_seconds:.1f} s JVM start and warm-up; "
        f"rows: {rows}"
    )


if __name__ == "__main__":
    main()
