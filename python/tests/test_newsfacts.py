"""Tests of the Python binding: the four functions, bad input, threads and forks.

Run after `pip install ./python` (plus pandas, pyarrow, pytest): `pytest python/tests`.
"""

import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import newsfacts

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"

SEED = "今年6月,Meta豪擲143億美元收購Scale AI 49%的股份。"
EN = "Apple Inc said on Monday it would buy Beats Electronics for $3 billion, its largest deal."


def csv_cell(v):
    """A typed table cell written back as the CSV writer writes it."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def read_csv(path, table=None):
    """A CSV file's header and rows; with `table`, its float columns as the double
    nearest the exact decimal (what the typed tables hold), written back as a cell."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    # The CSV writer puts an apostrophe before a text that starts like a formula (`-6.5%`
    # -> `'-6.5%`); the records and typed tables keep the text as it is.
    rows = [[c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@", "\t", "\r") else c for c in r] for r in rows]
    if table is not None:
        floats = [i for i, (_, kind) in enumerate(newsfacts.COLUMNS[table]) if kind == "float64"]
        for row in rows[1:]:
            for i in floats:
                row[i] = csv_cell(float(row[i])) if row[i] else ""
    return rows[0], rows[1:]


# --- extract -------------------------------------------------------------------------


def test_extract_gives_the_spec_record_with_original_offsets():
    rec = newsfacts.extract(SEED, date="2025-09-05", id="seed")
    assert isinstance(rec, dict)
    assert rec["id"] == "seed" and rec["status"] == "ok"
    assert rec["doc_date"] == "2025-09-05"
    money = next(a for a in rec["amounts"] if a["kind"] == "money")
    assert money["display"] == "USD 14.3B"
    assert money["value"] == 14300000000
    assert SEED[money["start"] : money["end"]] == "143億美元" == money["text"]
    assert any(d["value"] == "2025-06" for d in rec["dates"])
    assert {e["name"] for e in rec["entities"]} >= {"Meta", "Scale AI"}
    assert [f["type"] for f in rec["facts"]] == ["investment"]
    # Exactly the record the CLI writes to documents.jsonl: keys in SPEC order.
    assert list(rec)[:4] == ["id", "path", "encoding", "script"]
    assert list(rec)[-4:] == ["entities", "amounts", "dates", "facts"]


def test_extract_defaults_and_numbers_option():
    rec = newsfacts.extract("The company employs 1234 people in 7 offices.")
    assert rec["id"] == "#1"
    assert rec["doc_date"] is None and rec["date_source"] == "none"
    kinds = {a["kind"] for a in rec["amounts"]}
    assert "number" not in kinds
    with_numbers = newsfacts.extract("The company employs 1234 people in 7 offices.", numbers=True)
    assert len(with_numbers["amounts"]) > len(rec["amounts"])


def test_extract_empty_text_is_an_empty_record():
    rec = newsfacts.extract("")
    assert rec["status"] == "ok"
    assert rec["amounts"] == rec["entities"] == rec["facts"] == []


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (None, TypeError, "None"),
        (b"Apple earned $5 billion", TypeError, "decode"),
        (42, TypeError, "int"),
        (["a text"], TypeError, "list"),
        ("bad \ud800 surrogate", ValueError, "surrogate"),
    ],
)
def test_extract_bad_text_is_a_clear_error(bad, error, words):
    with pytest.raises(error, match=words):
        newsfacts.extract(bad)


def test_extract_bad_options_are_clear_errors():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        newsfacts.extract(SEED, date="next Tuesday")
    with pytest.raises(TypeError, match="date"):
        newsfacts.extract(SEED, date=20250905)
    with pytest.raises(TypeError, match="id"):
        newsfacts.extract(SEED, id=7)
    with pytest.raises(TypeError):
        newsfacts.extract(SEED, "2025-09-05")  # options are keyword-only


# --- extract_many --------------------------------------------------------------------


def test_extract_many_keeps_order_ids_and_dates():
    docs = [
        SEED,
        {"text": EN, "id": "apple", "date": "2014-05-28"},
        {"text": "净利润0.5亿元。", "id": None},
    ]
    recs = newsfacts.extract_many(docs, threads=2)
    assert [r["id"] for r in recs] == ["#1", "apple", "#3"]
    assert recs[1]["doc_date"] == "2014-05-28"
    assert recs[0] == newsfacts.extract(SEED)
    assert recs[1] == newsfacts.extract(EN, id="apple", date="2014-05-28")


def test_extract_many_same_records_for_any_thread_count_and_iterables():
    texts = [SEED, EN] * 20
    one = newsfacts.extract_many(texts, threads=1)
    two = newsfacts.extract_many(iter(texts), threads=2)
    default = newsfacts.extract_many(tuple(texts))
    assert one == two == default
    assert newsfacts.extract_many([]) == []


@pytest.mark.parametrize(
    "docs, error, words",
    [
        (None, TypeError, "None"),
        ("one text", TypeError, "extract()"),
        (b"bytes", TypeError, "bytes"),
        (42, TypeError, "int"),
        ([SEED, None], TypeError, "document 2"),
        ([SEED, b"x"], TypeError, "document 2"),
        ([{"id": "a"}], ValueError, "without \"text\""),
        ([{"text": b"x"}], TypeError, "decode"),
        ([{"text": "x", "date": "yesterday"}], ValueError, "YYYY-MM-DD"),
    ],
)
def test_extract_many_bad_input_is_a_clear_error(docs, error, words):
    with pytest.raises(error, match=words):
        newsfacts.extract_many(docs)


def test_extract_many_bad_threads():
    with pytest.raises(ValueError, match="threads"):
        newsfacts.extract_many([SEED], threads=0)
    with pytest.raises(TypeError):
        newsfacts.extract_many([SEED], threads="2")


def test_extract_many_releases_the_gil():
    texts = [SEED * 20, EN * 20] * 100
    done = threading.Event()
    worker = threading.Thread(target=lambda: (newsfacts.extract_many(texts, threads=2), done.set()))
    ticks = 0
    worker.start()
    # While the native threads work, this Python thread keeps running.
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    assert ticks >= 20, f"the main thread ran only {ticks} times while extract_many worked"


def _native_threads():
    return len(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through /proc (Linux)")
def test_no_thread_at_import_and_a_pool_on_first_use():
    code = (
        "import os, newsfacts\n"
        "n0 = len(os.listdir('/proc/self/task'))\n"
        "newsfacts.extract('净利润0.5亿元。')\n"
        "n1 = len(os.listdir('/proc/self/task'))\n"
        "newsfacts.extract_many(['a', 'b', 'c'], threads=3)\n"
        "n2 = len(os.listdir('/proc/self/task'))\n"
        "print(n0, n1, n2)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n0, n1, n2 = map(int, out.stdout.split())
    assert n0 == 1, "importing newsfacts started threads"
    assert n1 == 1, "extract (one document) started threads"
    assert n2 == 4, "extract_many(threads=3) should start its pool of 3"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_works_in_a_forked_child_after_the_pool_started():
    newsfacts.extract_many([SEED, EN], threads=2)  # the parent's pool exists now
    pid = os.fork()
    if pid == 0:  # child: the parent's pool threads are not here
        try:
            recs = newsfacts.extract_many([SEED, EN, SEED], threads=2)
            os._exit(0 if recs[2]["amounts"] == recs[0]["amounts"] else 3)
        except BaseException:
            os._exit(4)
    deadline = time.time() + 60
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    pytest.fail("extract_many hung in a forked child")


# --- to_pandas -----------------------------------------------------------------------


def test_to_pandas_gives_the_five_tables_with_csv_columns():
    tables = newsfacts.to_pandas(newsfacts.extract_many([SEED, EN]))
    assert list(tables) == list(newsfacts.TABLES)
    for name, df in tables.items():
        header, _ = read_csv(GOLDEN / f"{name}.csv")
        assert list(df.columns) == header, name
    assert list(tables["documents"]["doc_id"]) == ["#1", "#2"]
    amounts = tables["amounts"]
    assert str(amounts["start"].dtype) == "Int64"
    assert amounts.loc[amounts["kind"] == "money", "display"].tolist() == ["USD 14.3B", "USD 3B"]
    assert tables["dates"]["relative"].dtype == "boolean"


def test_to_pandas_of_the_golden_records_equals_the_golden_csv():
    # The CLI's own documents.jsonl, read back, gives exactly the CLI's CSV rows.
    records = [json.loads(l) for l in (GOLDEN / "documents.jsonl").read_text(encoding="utf-8").splitlines() if l]
    assert len(records) >= 5
    tables = newsfacts.to_pandas(records)
    for name, df in tables.items():
        header, rows = read_csv(GOLDEN / f"{name}.csv", name)
        got = [[csv_cell(v) for v in row] for row in df.astype(object).itertuples(index=False)]
        assert got == rows, name
        assert len(rows) > 0, name


def test_to_pandas_bad_input():
    with pytest.raises(TypeError, match="list of records"):
        newsfacts.to_pandas(newsfacts.extract(SEED))
    with pytest.raises(TypeError, match="record 1"):
        newsfacts.to_pandas(["not a record"])
    with pytest.raises(ValueError, match="not a newsfacts record"):
        newsfacts.to_pandas([{"id": "x", "text": "a dict, but no record"}])
    empty = newsfacts.to_pandas([])
    assert all(len(df) == 0 for df in empty.values())
    assert list(empty["facts"].columns) == [c for c, _ in newsfacts.COLUMNS["facts"]]


# --- Arrow ---------------------------------------------------------------------------


def batch():
    return pa.record_batch(
        {
            "id": ["seed", "apple", None, "nothing"],
            "text": [SEED, EN, "净利润0.5亿元,同比增长12.5%。", None],
            "date": ["2025-09-05", None, "not a date", None],
        }
    )


def test_arrow_table_rows_equal_to_pandas_of_the_records():
    b = batch()
    recs = newsfacts.extract_many(
        [
            {"text": SEED, "id": "seed", "date": "2025-09-05"},
            {"text": EN, "id": "apple"},
            {"text": "净利润0.5亿元,同比增长12.5%。", "id": "#3"},
        ]
    )
    expected = newsfacts.to_pandas(recs)
    for name in newsfacts.TABLES:
        out = newsfacts.arrow_batch(b, name)
        assert isinstance(out, pa.RecordBatch)
        assert out.schema == newsfacts.arrow_schema(name)
        got = out.to_pandas()
        if name == "documents":
            # The fourth row has no text: a failed document, as the CLI reports a JSON
            # line without text; the unparsable date is ignored with a warning.
            assert got["status"].tolist() == ["ok", "ok", "ok", "failed"]
            assert "text" in got["error"].iloc[3]
            got = got.iloc[:3]
            continue
        exp = expected[name]
        assert got["doc_id"].tolist() == exp["doc_id"].tolist(), name
        assert [tuple(map(csv_cell, r)) for r in got.astype(object).itertuples(index=False)] == [
            tuple(map(csv_cell, r)) for r in exp.astype(object).itertuples(index=False)
        ], name


def test_arrow_nested_batch_is_one_row_per_document():
    out = newsfacts.arrow_batch(batch(), threads=2)
    assert out.schema == newsfacts.arrow_schema()
    assert out.num_rows == 4
    rows = out.to_pylist()
    assert [r["documents"]["doc_id"] for r in rows] == ["seed", "apple", "#3", "nothing"]
    for name in newsfacts.TABLES[1:]:
        flat = newsfacts.arrow_batch(batch(), name).to_pylist()
        assert [x for r in rows for x in r[name]] == flat, name
    assert rows[0]["amounts"][0]["display"] == "USD 14.3B"


def test_arrow_tables_gives_all_five_flat_tables_from_one_pass():
    tables = newsfacts.arrow_tables(batch(), threads=2)
    assert list(tables) == list(newsfacts.TABLES)
    for name, out in tables.items():
        assert out.schema == newsfacts.arrow_schema(name)
        assert out.to_pylist() == newsfacts.arrow_batch(batch(), name).to_pylist(), name


def test_arrow_raw_json_lines_are_read_as_the_cli_reads_them():
    lines = [
        json.dumps({"id": "seed", "text": SEED, "date": "2025-09-05"}, ensure_ascii=False),
        json.dumps({"id": "apple", "text": EN}),
        json.dumps({"text": "净利润0.5亿元,同比增长12.5%。", "date": "not a date"}, ensure_ascii=False),
        json.dumps({"id": "nothing"}),
        "{not json",
    ]
    from_lines = newsfacts.arrow_tables(pa.record_batch({"value": lines}), lines="value")
    from_columns = newsfacts.arrow_tables(batch())
    for name in newsfacts.TABLES:
        got, exp = from_lines[name].to_pylist(), from_columns[name].to_pylist()
        if name == "documents":
            assert got[4]["status"] == "failed" and "malformed JSON" in got[4]["error"]
            got = got[:4]
        assert got == exp, name
    with pytest.raises(ValueError, match="no 'json' column"):
        newsfacts.arrow_tables(pa.record_batch({"value": lines}), lines="json")


def test_arrow_tables_in_tables_out_and_map_arrow():
    t = pa.Table.from_batches([batch()])
    out = newsfacts.arrow_batch(t, "facts")
    assert isinstance(out, pa.Table) and out.schema == newsfacts.arrow_schema("facts")
    outs = list(newsfacts.map_arrow(iter([batch(), batch().slice(0, 1)]), "documents"))
    assert [o.num_rows for o in outs] == [4, 1]
    renamed = pa.record_batch({"body": [EN], "key": ["k"]})
    docs = newsfacts.arrow_batch(renamed, "documents", text="body", id="key").to_pylist()
    assert docs[0]["doc_id"] == "k" and docs[0]["status"] == "ok"


def test_arrow_bad_input():
    with pytest.raises(ValueError, match="no 'text' column"):
        newsfacts.arrow_batch(pa.record_batch({"body": ["x"]}), "amounts")
    with pytest.raises(ValueError, match="table must be one of"):
        newsfacts.arrow_batch(batch(), "people")
    with pytest.raises(TypeError, match="RecordBatch"):
        newsfacts.arrow_batch([SEED], "amounts")
    with pytest.raises(ValueError, match="table must be one of"):
        newsfacts.arrow_schema("people")


# --- the Arrow path: columns in and out as Arrow buffers ------------------------------


def cli_binary():
    """The CLI built by `cargo build --release` (CI builds it before the wheel)."""
    exe = REPO / "target" / "release" / ("newsfacts.exe" if os.name == "nt" else "newsfacts")
    if not exe.is_file():
        pytest.skip(f"{exe} is not built (run `cargo build --release` first)")
    return exe


def cli_lines():
    """JSON Lines of the kinds the CLI meets: the three languages of the shared corpus,
    dates good and bad, a record without text, a blank text, an id that is a number."""
    corpus = REPO.parent / "shared" / "data" / "corpus"
    texts = []
    for name in ("zh_news.txt", "en_news.txt", "zh_hant_news.txt"):
        path = corpus / name
        if path.is_file():
            with open(path, encoding="utf-8") as f:
                texts += [line.strip() for _, line in zip(range(40), f) if line.strip()]
    texts += [SEED, EN, "净利润0.5亿元,同比增长12.5%。"]
    lines = [
        json.dumps({"id": f"d{i}", "text": t, **({"date": "2025-09-05"} if i % 3 == 0 else {})}, ensure_ascii=False)
        for i, t in enumerate(texts)
    ]
    lines += [
        json.dumps({"id": "bad-date", "text": EN, "date": "not a date"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "blank", "text": ""}),
        json.dumps({"id": 7, "text": SEED}, ensure_ascii=False),
    ]
    return lines


def arrow_rows(rb, table):
    """A typed table's rows written back as CSV cells (`path` blanked: the CLI's is a file)."""
    header = [c for c, _ in newsfacts.COLUMNS[table]]
    assert rb.schema.names == header
    rows = [[csv_cell(v) for v in row] for row in zip(*(rb.column(c).to_pylist() for c in header))]
    if table == "documents":
        for row in rows:
            row[header.index("path")] = ""
    return sorted(rows)


def test_arrow_path_gives_the_cli_rows(tmp_path):
    lines = cli_lines()
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Exit 1: two documents fail (no text, blank text), as they should; the tables are written.
    run = subprocess.run(
        [str(cli_binary()), "extract", str(src), "-o", str(tmp_path / "out"), "--quiet", "--raw-csv", "--threads", "2"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and run.stderr.count("failed:") == 2, run.stderr
    # Raw lines, in two batches (the second a slice, so its buffers start at an offset).
    value = pa.array(lines, type=pa.string())
    batches = [pa.record_batch({"value": value}).slice(0, 50), pa.record_batch({"value": value}).slice(50)]
    outs = [newsfacts.arrow_tables(b, lines="value", threads=2) for b in batches]
    for table in newsfacts.TABLES:
        header, cli_rows = read_csv(tmp_path / "out" / f"{table}.csv", table)
        if table == "documents":
            for row in cli_rows:
                row[header.index("path")] = ""
        got = sorted(r for out in outs for r in arrow_rows(out[table], table))
        assert len(cli_rows) > 0 and got == sorted(cli_rows), table


def test_arrow_path_reads_every_string_layout_alike():
    """string, large_string, string_view, chunked and sliced columns, and id/date columns
    of other types, give the rows of plain string columns."""
    texts = [SEED, EN, None, "净利润0.5亿元,同比增长12.5%。"]
    plain = newsfacts.arrow_tables(
        pa.record_batch({"text": texts, "id": ["1", "2", "3", "4"], "date": ["2025-09-05", None, "2025-01-02", None]})
    )
    import datetime

    variants = {
        "large_string": pa.record_batch(
            {"text": pa.array(texts, pa.large_string()), "id": pa.array([1, 2, 3, 4]),
             "date": pa.array([datetime.date(2025, 9, 5), None, datetime.date(2025, 1, 2), None])}
        ),
        "chunked": pa.Table.from_batches(
            [pa.record_batch({"text": texts[:2], "id": ["1", "2"], "date": ["2025-09-05", None]}),
             pa.record_batch({"text": texts[2:], "id": ["3", "4"], "date": ["2025-01-02", None]})]
        ),
        "sliced": pa.record_batch(
            {"text": ["x"] + texts, "id": ["0", "1", "2", "3", "4"], "date": [None, "2025-09-05", None, "2025-01-02", None]}
        ).slice(1),
    }
    if hasattr(pa, "string_view"):
        variants["string_view"] = pa.record_batch(
            {"text": pa.array(texts, pa.string_view()), "id": ["1", "2", "3", "4"], "date": ["2025-09-05", None, "2025-01-02", None]}
        )
    for name, b in variants.items():
        got = newsfacts.arrow_tables(b)
        for table in newsfacts.TABLES:
            assert got[table].to_pylist() == plain[table].to_pylist(), (name, table)


def test_arrow_path_bad_columns_are_clear_errors():
    with pytest.raises(TypeError, match="'text' column must hold strings, not binary; decode"):
        newsfacts.arrow_tables(pa.record_batch({"text": pa.array([b"abc"], pa.binary())}))
    with pytest.raises(TypeError, match="'text' column must hold strings, not int64"):
        newsfacts.arrow_tables(pa.record_batch({"text": [1, 2]}))
    with pytest.raises(TypeError, match="'value' column must hold strings"):
        newsfacts.arrow_tables(pa.record_batch({"value": [1.5]}), lines="value")
    with pytest.raises(ValueError, match="no 'value' column"):
        newsfacts.arrow_batch(pa.record_batch({"text": ["x"]}), "documents", lines="value")
    with pytest.raises(TypeError, match="RecordBatch or Table, not dict"):
        newsfacts.arrow_tables({"text": ["x"]})
    with pytest.raises(TypeError, match="RecordBatch or Table, not NoneType"):
        newsfacts.arrow_batch(None)
    # A string column whose bytes are not UTF-8 (built without pyarrow's checks).
    data = pa.py_buffer(b"ok\xff\xfe")
    offsets = pa.py_buffer(pa.array([0, 2, 4], pa.int32()).buffers()[1].to_pybytes())
    broken = pa.Array.from_buffers(pa.string(), 2, [None, offsets, data])
    with pytest.raises(ValueError, match="row 1: not valid UTF-8"):
        newsfacts.arrow_tables(pa.record_batch({"text": broken}))
    with pytest.raises(ValueError, match="threads"):
        newsfacts.arrow_tables(batch(), threads=0)


def test_arrow_path_native_export_is_standard_and_once_only():
    """The native result is a plain Arrow C array (any consumer of the PyCapsule protocol
    can import it) and is handed over once."""
    from newsfacts import _native

    prepared = pa.record_batch({"text": [SEED]})
    out = _native.arrow_from_batch(prepared, nested=False)
    capsules = out["amounts"].__arrow_c_array__()
    rb = pa.RecordBatch._import_from_c_capsule(*capsules)
    assert rb.schema == newsfacts.arrow_schema("amounts") and rb.num_rows == 2
    with pytest.raises(ValueError, match="already exported"):
        out["amounts"].__arrow_c_array__()
    # Capsules never imported are released by their destructors (no leak, no crash).
    out["dates"].__arrow_c_array__()
    del capsules
    for _ in range(3):
        _native.arrow_from_batch(prepared, nested=True).__arrow_c_array__()


def test_arrow_path_empty_and_all_null_batches():
    empty = pa.record_batch({"text": pa.array([], pa.string())})
    assert newsfacts.arrow_batch(empty).num_rows == 0
    assert newsfacts.arrow_batch(empty).schema == newsfacts.arrow_schema()
    no_chunks = pa.table({"text": pa.chunked_array([], pa.string())})
    for name, out in newsfacts.arrow_tables(no_chunks).items():
        assert out.num_rows == 0 and out.schema == newsfacts.arrow_schema(name)
    # A text column of Arrow's null type: every document fails, as a JSON line without text.
    nulls = newsfacts.arrow_batch(pa.record_batch({"text": pa.array([None, None], pa.null())}), "documents")
    assert nulls.column("status").to_pylist() == ["failed", "failed"]
