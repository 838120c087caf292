"""newsfacts: Chinese and English news in, structured facts out.

>>> import newsfacts
>>> rec = newsfacts.extract("今年6月,Meta豪擲143億美元收購Scale AI 49%的股份。", date="2025-09-05")
>>> [a["display"] for a in rec["amounts"]]
['USD 14.3B', '49%']

* ``extract(text, *, date=None, id=None, numbers=False) -> dict``: the JSON record of
  SPEC §4 (what one line of ``documents.jsonl`` holds).
* ``extract_many(docs, *, threads=None, numbers=False) -> list[dict]``: many documents
  (str, or dict with ``text`` and optional ``id``/``date``), in input order, on a pool of
  native threads (the GIL is released while they work).
* ``to_pandas(records) -> dict[str, DataFrame]``: the five CSV tables.
* ``arrow_batch(batch, table=None)`` / ``map_arrow(batches, table=None)`` /
  ``arrow_tables(batch)`` / ``arrow_schema(table=None)``: Arrow record batches with ``text``/``id``/``date`` columns
  in, one table's rows (or all five, nested per document) out; for Spark's
  ``mapInArrow``, Ray Data's ``map_batches`` and the like.

Nothing is loaded and no thread is started at import: the tables and models load on the
first call, and the worker pool starts on the first call that uses threads (Spark forks
its Python workers after importing).
"""

import json as _json
from collections.abc import Mapping as _Mapping

from . import _native
from ._native import __version__, extract, extract_many

__all__ = [
    "extract",
    "extract_many",
    "to_pandas",
    "arrow_batch",
    "arrow_tables",
    "map_arrow",
    "arrow_schema",
    "TABLES",
    "COLUMNS",
    "__version__",
]

#: The five tables, in the order of the CSV files.
TABLES = ("documents", "entities", "amounts", "dates", "facts")

#: ``{table: [(column, type), ...]}`` with the CSV writer's columns, in its order; type is
#: one of ``string``, ``int64``, ``float64``, ``bool``. An empty CSV cell is a null.
COLUMNS = {t: [tuple(c) for c in cols] for t, cols in _native.columns().items()}

_PANDAS_DTYPES = {"string": "object", "int64": "Int64", "float64": "float64", "bool": "boolean"}


def _check_table(table):
    if table is not None and table not in COLUMNS:
        raise ValueError(f"table must be one of {', '.join(TABLES)} or None, not {table!r}")


def to_pandas(records):
    """The five tables of ``records`` (dicts from ``extract``/``extract_many``, or parsed
    lines of ``documents.jsonl``) as ``{table: pandas.DataFrame}`` with the CSV columns.

    Integer columns are pandas' nullable ``Int64``, ``value``/``max``/``percent`` are
    floats (the exact decimals are in the records), ``relative`` is boolean, the rest are
    strings; an empty CSV cell is a null.
    """
    import pandas as pd

    if isinstance(records, _Mapping):
        raise TypeError("to_pandas takes a list of records; for one record use to_pandas([record])")
    payload = []
    for i, rec in enumerate(records):
        if not isinstance(rec, _Mapping):
            raise TypeError(
                f"record {i + 1} (index {i}) must be a dict from newsfacts.extract, not {type(rec).__name__}"
            )
        payload.append(_json.dumps(dict(rec), ensure_ascii=False))
    tables = _native.tables_from_json(payload)
    return {name: _frame(pd, name, tables[name][0]) for name in TABLES}


def _frame(pd, table, cols):
    return pd.DataFrame(
        {name: pd.Series(cols[name], dtype=_PANDAS_DTYPES[kind]) for name, kind in COLUMNS[table]},
        columns=[name for name, _ in COLUMNS[table]],
    )


def _arrow_type(pa, kind):
    return {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}[kind]


def _table_schema(pa, table):
    return pa.schema([pa.field(name, _arrow_type(pa, kind)) for name, kind in COLUMNS[table]])


def arrow_schema(table=None):
    """The ``pyarrow.Schema`` of ``arrow_batch(..., table)``.

    With a table name: that table's CSV columns. With ``None``: one row per input
    document, a ``documents`` struct column and four list-of-struct columns
    (``entities``, ``amounts``, ``dates``, ``facts``), so that one pass gives all five tables.
    """
    import pyarrow as pa

    _check_table(table)
    if table is not None:
        return _table_schema(pa, table)
    fields = [pa.field("documents", pa.struct(list(_table_schema(pa, "documents"))))]
    for name in TABLES[1:]:
        fields.append(pa.field(name, pa.list_(pa.struct(list(_table_schema(pa, name))))))
    return pa.schema(fields)


def arrow_batch(batch, table=None, *, threads=None, numbers=False, text="text", id="id", date="date", lines=None):
    """Runs newsfacts on a ``pyarrow.RecordBatch`` (or ``Table``) of documents.

    Columns read: ``text`` (required), ``id`` and ``date`` (optional; names can be changed);
    or, with ``lines="value"``, one column of raw JSON Lines records (as Spark's
    ``read.text`` gives them), parsed exactly as the CLI parses a ``.jsonl`` line.
    Each row is read as ``newsfacts extract`` reads a JSON line: a null or empty text is a
    failed document (a ``documents`` row with its reason), an unparsable date is ignored
    with a warning, a null id is ``#N`` (N the row in this batch; give ids for unique ones).

    Returns the same kind (RecordBatch or Table) with the schema ``arrow_schema(table)``:
    one table's rows, or with ``table=None`` one nested row per document.

    The columns go in and come out as Arrow buffers (the Arrow C Data Interface): the
    rows are built in Rust, with no Python object per value, and the GIL is released
    while the documents are processed (on ``threads`` native threads).
    """
    import pyarrow as pa

    _check_table(table)
    was_table = isinstance(batch, pa.Table)
    prepared = _prepared(pa, batch, text, id, date, lines)
    if table is None:
        out = pa.record_batch(
            _native.arrow_from_batch(prepared, nested=True, threads=threads, numbers=numbers, text=text, id=id, date=date, lines=lines)
        )
    else:
        out = pa.record_batch(
            _native.arrow_from_batch(prepared, nested=False, threads=threads, numbers=numbers, text=text, id=id, date=date, lines=lines)[table]
        )
    if was_table:
        return pa.Table.from_batches([out], schema=out.schema)
    return out


def _is_string_type(pa, t):
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _as_strings(pa, col):
    """An id or date column of another type (ints, dates, timestamps) as strings."""
    try:
        return col.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in col.to_pylist()], type=pa.string())


def _prepared(pa, batch, text, id, date, lines):
    """One RecordBatch with only the columns newsfacts reads, each as Arrow strings
    (``string`` or ``large_string``, which the native side reads from their buffers)."""
    if not isinstance(batch, (pa.RecordBatch, pa.Table)):
        raise TypeError(f"batch must be a pyarrow.RecordBatch or Table, not {type(batch).__name__}")
    names = batch.schema.names
    required = lines if lines is not None else text
    if required not in names:
        raise ValueError(f"the batch has no {required!r} column (columns: {', '.join(names)})")
    wanted = [lines] if lines is not None else [text, id, date]
    cols, fields = [], []
    for name in dict.fromkeys(wanted):
        if name not in names:
            continue
        col = batch.column(names.index(name))
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        t = col.type
        if not _is_string_type(pa, t):
            textual = pa.types.is_null(t) or getattr(pa.types, "is_string_view", lambda _: False)(t)
            if name == required and not textual:
                hint = "; decode it to strings first" if pa.types.is_binary(t) or pa.types.is_large_binary(t) else ""
                raise TypeError(f"the {name!r} column must hold strings, not {t}{hint}")
            col = _as_strings(pa, col)
        cols.append(col)
        fields.append(name)
    return pa.RecordBatch.from_arrays(cols, names=fields)


def arrow_tables(batch, *, threads=None, numbers=False, text="text", id="id", date="date", lines=None):
    """All five tables of a batch of documents from one pass, as ``{table: RecordBatch}``
    (schemas ``arrow_schema(table)``); input read as by ``arrow_batch``."""
    import pyarrow as pa

    prepared = _prepared(pa, batch, text, id, date, lines)
    out = _native.arrow_from_batch(prepared, nested=False, threads=threads, numbers=numbers, text=text, id=id, date=date, lines=lines)
    return {name: pa.record_batch(out[name]) for name in TABLES}


def map_arrow(batches, table=None, **options):
    """``arrow_batch`` over an iterator of batches, lazily: the function Spark's
    ``DataFrame.mapInArrow`` wants (``df.mapInArrow(lambda it: newsfacts.map_arrow(it,
    "amounts"), schema)``). ``options`` are those of ``arrow_batch``."""
    _check_table(table)
    for batch in batches:
        yield arrow_batch(batch, table, **options)
