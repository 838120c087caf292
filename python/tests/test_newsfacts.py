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
