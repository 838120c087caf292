//! `newsfacts._native`: the Rust side of the Python binding.
//!
//! Everything here goes through the library's public API: [`Pipeline::process`] makes the
//! SPEC §4 record, its JSON is what `extract` returns, and the table rows are the CSV
//! writer's own ([`newsfacts::output::rows`]), so a column the library adds to a CSV table
//! shows up in `to_pandas` and the Arrow batches without a change here.
//!
//! Two things are created lazily, on first use and never at import: the pipelines (one per
//! `numbers` setting) and the worker pools. Spark and multiprocessing fork Python workers
//! after importing; a pool created before a fork would have no threads in the child, so a
//! pool also remembers the process that made it and is rebuilt in a forked child.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use newsfacts::batch::process_guarded;
use newsfacts::output::rows::{rows, Table};
use newsfacts::{parse_iso_date, Config, Document, Pipeline, Source};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;

mod arrow;
use arrow::{ArrowArray, Cell, ColumnBuilder, Node};

/// The pipeline for one `numbers` setting, built on first use.
fn pipeline(numbers: bool) -> PyResult<&'static Pipeline> {
    static PLAIN: OnceLock<Pipeline> = OnceLock::new();
    static WITH_NUMBERS: OnceLock<Pipeline> = OnceLock::new();
    let cell = if numbers { &WITH_NUMBERS } else { &PLAIN };
    if let Some(p) = cell.get() {
        return Ok(p);
    }
    let built = Pipeline::new(Config {
        numbers,
        ..Config::default()
    })
    .map_err(|e| PyRuntimeError::new_err(format!("newsfacts could not start: {e}")))?;
    Ok(cell.get_or_init(|| built))
}

/// Worker pools by thread count, with the process id that created them.
struct Pools {
    pid: u32,
    by_threads: HashMap<usize, Arc<rayon::ThreadPool>>,
}

fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Option<Pools>> = Mutex::new(None);
    let mut guard = POOLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    if guard.as_ref().map(|p| p.pid) != Some(pid) {
        // First use, or a forked child: the parent's pool threads do not exist here.
        // The parent's pools are forgotten, not dropped (dropping would wait for threads
        // that are not there).
        if let Some(old) = guard.take() {
            std::mem::forget(old);
        }
        *guard = Some(Pools {
            pid,
            by_threads: HashMap::new(),
        });
    }
    let pools = guard.as_mut().expect("set just above");
    if let Some(p) = pools.by_threads.get(&threads) {
        return Ok(p.clone());
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("newsfacts-{i}"))
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {threads} threads: {e}")))?;
    let built = Arc::new(built);
    pools.by_threads.insert(threads, built.clone());
    Ok(built)
}

/// `threads=None` is every core; anything else must be a positive count.
fn thread_count(threads: Option<i64>) -> PyResult<usize> {
    match threads {
        None => Ok(std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)),
        Some(n) if n >= 1 => Ok(n as usize),
        Some(n) => Err(PyValueError::new_err(format!(
            "threads must be a positive number or None (all cores), not {n}"
        ))),
    }
}

/// Runs `f` on every source on `threads` workers, in input order, without the GIL.
fn run_all<T: Send>(
    py: Python<'_>,
    sources: Vec<Source>,
    numbers: bool,
    threads: usize,
    f: impl Fn(Document) -> T + Sync + Send,
) -> PyResult<Vec<T>> {
    let pipeline = pipeline(numbers)?;
    if threads == 1 || sources.len() <= 1 {
        return Ok(py.detach(|| {
            sources
                .iter()
                .map(|s| f(process_guarded(pipeline, s)))
                .collect()
        }));
    }
    let pool = pool(threads)?;
    Ok(py.detach(|| {
        pool.install(|| {
            sources
                .par_iter()
                .map(|s| f(process_guarded(pipeline, s)))
                .collect()
        })
    }))
}

/// What a Python value is, for error messages.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A Python `str` as Rust text; `what` names the argument in the error.
fn text_of(v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_cow().map(|c| c.into_owned()).map_err(|_| {
            PyValueError::new_err(format!(
                "{what} is not valid Unicode (it holds a lone surrogate)"
            ))
        });
    }
    if v.is_none() {
        return Err(PyTypeError::new_err(format!(
            "{what} is None; expected a str"
        )));
    }
    if v.cast::<PyBytes>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "{what} is bytes; decode it to str first, e.g. data.decode(\"utf-8\")"
        )));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str, not {}",
        type_name(v)
    )))
}

/// An optional str argument (`None` allowed).
fn optional_text(v: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => text_of(v, what).map(Some),
    }
}

/// A document date given to the Python API must be a real `YYYY-MM-DD`.
fn checked_date(date: Option<String>, what: &str) -> PyResult<Option<String>> {
    if let Some(d) = &date {
        if parse_iso_date(d).is_none() {
            return Err(PyValueError::new_err(format!(
                "{what} {d:?} is not a date: use the form YYYY-MM-DD, e.g. \"2025-09-05\""
            )));
        }
    }
    Ok(date)
}

fn source(id: String, text: String, date: Option<String>) -> Source {
    let s = Source::from_text(id, text);
    match date {
        Some(d) => s.with_date(d),
        None => s,
    }
}

/// One item of `extract_many`: a str, or a dict with `text` and optional `id`/`date`.
fn source_of_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<Source> {
    let default_id = format!("#{}", index + 1);
    let what = format!("document {} (index {index})", index + 1);
    if let Ok(d) = item.cast::<PyDict>() {
        let text = match d.get_item("text")? {
            Some(t) => text_of(&t, &format!("the \"text\" of {what}"))?,
            None => {
                return Err(PyValueError::new_err(format!(
                    "{what} is a dict without \"text\""
                )))
            }
        };
        let id = optional_text(d.get_item("id")?.as_ref(), &format!("the \"id\" of {what}"))?;
        let date = optional_text(
            d.get_item("date")?.as_ref(),
            &format!("the \"date\" of {what}"),
        )?;
        let date = checked_date(date, &format!("the \"date\" of {what}"))?;
        return Ok(source(id.unwrap_or(default_id), text, date));
    }
    if item.cast::<PyString>().is_ok() {
        return Ok(source(default_id, text_of(item, &what)?, None));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str or a dict with \"text\" (and optional \"id\", \"date\"), not {}",
        if item.is_none() {
            "None".to_string()
        } else {
            type_name(item)
        }
    )))
}

fn json_of(doc: &Document) -> String {
    // A Document is plain data (strings, numbers, lists): serialising it cannot fail.
    serde_json::to_string(doc).unwrap_or_else(|e| {
        format!(
            "{{\"id\":{:?},\"status\":\"failed\",\"error\":{:?}}}",
            doc.id,
            e.to_string()
        )
    })
}

fn to_dicts<'py>(py: Python<'py>, jsons: &[String]) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let loads = py.import("json")?.getattr("loads")?;
    jsons.iter().map(|j| loads.call1((j.as_str(),))).collect()
}

/// The SPEC §4 JSON record of one text, as a dict.
#[pyfunction]
#[pyo3(signature = (text, *, date=None, id=None, numbers=false))]
fn extract<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    date: Option<&Bound<'py, PyAny>>,
    id: Option<&Bound<'py, PyAny>>,
    numbers: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text_of(text, "text")?;
    let date = checked_date(optional_text(date, "date")?, "date")?;
    let id = optional_text(id, "id")?.unwrap_or_else(|| "#1".into());
    let jsons = run_all(py, vec![source(id, text, date)], numbers, 1, |d| {
        json_of(&d)
    })?;
    let mut dicts = to_dicts(py, &jsons)?;
    dicts
        .pop()
        .ok_or_else(|| PyRuntimeError::new_err("no record came back"))
}

/// The records of many documents, in input order, on `threads` workers.
#[pyfunction]
#[pyo3(signature = (docs, *, threads=None, numbers=false))]
fn extract_many<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyAny>,
    threads: Option<i64>,
    numbers: bool,
) -> PyResult<Bound<'py, PyList>> {
    if docs.cast::<PyString>().is_ok() || docs.cast::<PyBytes>().is_ok() || docs.is_none() {
        return Err(PyTypeError::new_err(format!(
            "docs must be a list (or other iterable) of str or dict, not {}; for one text use extract()",
            if docs.is_none() { "None".to_string() } else { type_name(docs) }
        )));
    }
    let threads = thread_count(threads)?;
    let sources = docs
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "docs must be a list (or other iterable) of str or dict, not {}",
                type_name(docs)
            ))
        })?
        .enumerate()
        .map(|(i, item)| source_of_item(&item?, i))
        .collect::<PyResult<Vec<_>>>()?;
    let jsons = run_all(py, sources, numbers, threads, |d| json_of(&d))?;
    PyList::new(py, to_dicts(py, &jsons)?)
}

/// How a CSV column is typed in pandas and Arrow ([`Cell`]). Every column not named here
/// is text, so a new column of the CSV writer arrives as text.
fn cell_type(table: Table, column: &str) -> Cell {
    match (table, column) {
        (_, "start" | "end" | "first_start" | "first_end" | "mentions" | "chars") => Cell::Int,
        (Table::Documents, "entities" | "amounts" | "dates" | "facts") => Cell::Int,
        (Table::Amounts | Table::Facts, "value" | "max" | "percent") => Cell::Float,
        (Table::Dates, "relative") => Cell::Bool,
        _ => Cell::Text,
    }
}

fn table_name(table: Table) -> &'static str {
    let file = table.file_name();
    file.strip_suffix(".csv").unwrap_or(file)
}

/// The five tables with their columns and column types, in CSV order.
#[pyfunction]
fn columns(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    for table in Table::ALL {
        let cols: Vec<(&str, &str)> = table
            .header()
            .iter()
            .map(|c| (*c, cell_type(table, c).name()))
            .collect();
        out.set_item(table_name(table), cols)?;
    }
    Ok(out)
}

/// One document's rows of all five tables (CSV cells).
type DocRows = Vec<Vec<Vec<String>>>;

fn doc_rows(doc: &Document) -> DocRows {
    Table::ALL.iter().map(|t| rows(*t, doc)).collect()
}

/// A CSV cell as a typed Python value; an empty cell is None.
fn cell_value<'py>(
    py: Python<'py>,
    kind: Cell,
    cell: &str,
    column: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if cell.is_empty() {
        return Ok(py.None().into_bound(py));
    }
    let bad = || {
        PyRuntimeError::new_err(format!(
            "column {column}: cell {cell:?} is not a {}; please report it",
            kind.name()
        ))
    };
    Ok(match kind {
        Cell::Text => PyString::new(py, cell).into_any(),
        Cell::Int => cell
            .parse::<i64>()
            .map_err(|_| bad())?
            .into_pyobject(py)?
            .into_any(),
        Cell::Float => cell
            .parse::<f64>()
            .map_err(|_| bad())?
            .into_pyobject(py)?
            .into_any(),
        Cell::Bool => match cell {
            "true" => true,
            "false" => false,
            _ => return Err(bad()),
        }
        .into_pyobject(py)?
        .to_owned()
        .into_any(),
    })
}

/// `{table: (columns, offsets)}`: each table's rows as typed columns
/// (`{column: list}`), and where each document's rows start (`offsets[i]..offsets[i+1]`).
fn tables_of<'py>(py: Python<'py>, docs: &[DocRows]) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (ti, table) in Table::ALL.iter().enumerate() {
        let header = table.header();
        let mut offsets = Vec::with_capacity(docs.len() + 1);
        offsets.push(0usize);
        let mut cols: Vec<Vec<Bound<'py, PyAny>>> = vec![Vec::new(); header.len()];
        for doc in docs {
            for row in &doc[ti] {
                for (ci, column) in header.iter().enumerate() {
                    let cell = row.get(ci).map(String::as_str).unwrap_or("");
                    cols[ci].push(cell_value(py, cell_type(*table, column), cell, column)?);
                }
            }
            offsets.push(offsets.last().copied().unwrap_or(0) + doc[ti].len());
        }
        let col_dict = PyDict::new(py);
        for (column, values) in header.iter().zip(cols) {
            col_dict.set_item(*column, PyList::new(py, values)?)?;
        }
        out.set_item(table_name(*table), (col_dict, offsets))?;
    }
    Ok(out)
}

/// Table rows of records given as JSON text (records from `extract`, or lines of a
/// `documents.jsonl`), for `to_pandas`.
#[pyfunction]
fn tables_from_json<'py>(py: Python<'py>, records: Vec<String>) -> PyResult<Bound<'py, PyDict>> {
    let docs = records
        .iter()
        .enumerate()
        .map(|(i, json)| {
            serde_json::from_str::<Document>(json)
                .map(|d| doc_rows(&d))
                .map_err(|e| {
                    PyValueError::new_err(format!(
                        "record {} (index {i}) is not a newsfacts record: {e}",
                        i + 1
                    ))
                })
        })
        .collect::<PyResult<Vec<_>>>()?;
    tables_of(py, &docs)
}

/// Documents given as columns, each row read as `newsfacts extract` reads a JSON line.
fn sources_of_columns(
    texts: Vec<Option<String>>,
    ids: Vec<Option<String>>,
    dates: Vec<Option<String>>,
) -> Vec<Source> {
    texts
        .into_iter()
        .zip(ids)
        .zip(dates)
        .enumerate()
        .map(|(i, ((text, id), date))| {
            let mut record = serde_json::Map::new();
            if let Some(id) = id {
                record.insert("id".into(), id.into());
            }
            if let Some(text) = text {
                record.insert("text".into(), text.into());
            }
            if let Some(date) = date {
                record.insert("date".into(), date.into());
            }
            let line = serde_json::Value::Object(record).to_string();
            Source::from_jsonl_line(format!("#{}", i + 1), "", &line)
        })
        .collect()
}

/// Raw JSON Lines records, each read as `newsfacts extract` reads a `.jsonl` line.
fn sources_of_lines(lines: Vec<Option<String>>) -> Vec<Source> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            Source::from_jsonl_line(format!("#{}", i + 1), "", line.as_deref().unwrap_or(""))
        })
        .collect()
}

/// One table's rows of every document as an Arrow struct array (a record batch), and
/// where each document's rows start (`offsets[i]..offsets[i + 1]`).
fn table_node(table: Table, ti: usize, docs: &[DocRows]) -> PyResult<(Node, Vec<i32>)> {
    let header = table.header();
    let mut builders: Vec<ColumnBuilder> = header
        .iter()
        .map(|c| ColumnBuilder::new(cell_type(table, c)))
        .collect();
    let mut offsets = Vec::with_capacity(docs.len() + 1);
    offsets.push(0i32);
    let mut count = 0usize;
    for doc in docs {
        for row in &doc[ti] {
            for (ci, column) in header.iter().enumerate() {
                let cell = row.get(ci).map(String::as_str).unwrap_or("");
                builders[ci]
                    .push(cell, column)
                    .map_err(|e| PyRuntimeError::new_err(e.0))?;
            }
        }
        count += doc[ti].len();
        offsets.push(i32::try_from(count).map_err(|_| {
            PyValueError::new_err("over 2^31 rows of one table in one batch; use smaller batches")
        })?);
    }
    let columns = builders
        .into_iter()
        .zip(header)
        .map(|(b, name)| b.finish(name))
        .collect();
    Ok((Node::structure("", count, columns), offsets))
}

/// The five tables as flat record batches (`{table: ArrowArray}`), or with `nested` one
/// row per document: a `documents` struct and four list-of-struct columns.
fn arrow_out<'py>(
    py: Python<'py>,
    docs: Vec<DocRows>,
    nested: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let built = py.detach(|| {
        Table::ALL
            .iter()
            .enumerate()
            .map(|(ti, t)| table_node(*t, ti, &docs))
            .collect::<PyResult<Vec<_>>>()
    })?;
    if nested {
        let n = docs.len();
        let mut fields = Vec::with_capacity(built.len());
        for ((node, offsets), table) in built.into_iter().zip(Table::ALL) {
            let name = table_name(table);
            if table == Table::Documents {
                if node_len(&offsets) != n {
                    return Err(PyRuntimeError::new_err(
                        "a document did not give exactly one documents row; please report it",
                    ));
                }
                fields.push(node.renamed(name));
            } else {
                fields.push(Node::list(name, offsets, node.renamed("item")));
            }
        }
        return Ok(Bound::new(py, ArrowArray::new(Node::structure("", n, fields)))?.into_any());
    }
    let out = PyDict::new(py);
    for ((node, _), table) in built.into_iter().zip(Table::ALL) {
        out.set_item(table_name(table), Bound::new(py, ArrowArray::new(node))?)?;
    }
    Ok(out.into_any())
}

fn node_len(offsets: &[i32]) -> usize {
    offsets.last().map(|&n| n as usize).unwrap_or(0)
}

/// The Arrow output of a batch of documents given as an Arrow record batch (anything with
/// `__arrow_c_array__`): with `lines`, one column of raw JSON Lines records read as
/// `newsfacts extract` reads a `.jsonl` line; else `text` (required) and optional `id` and
/// `date` string columns, read as `newsfacts extract` reads a JSON line with those fields (a row without text,
/// or with an empty one, is a failed document; a date that is not a date is ignored with
/// a warning; a null id is `#N`, N the row). The string columns are read
/// from their Arrow buffers, never as Python objects.
#[pyfunction]
#[pyo3(signature = (batch, *, nested, text="text", id="id", date="date", lines=None, threads=None, numbers=false))]
#[allow(clippy::too_many_arguments)]
fn arrow_from_batch<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    nested: bool,
    text: &str,
    id: &str,
    date: &str,
    lines: Option<&str>,
    threads: Option<i64>,
    numbers: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let threads = thread_count(threads)?;
    let sources = if let Some(lines) = lines {
        let (_, mut cols) = arrow::string_columns(batch, &[lines])?;
        let raw = cols.pop().flatten().ok_or_else(|| no_column(lines))?;
        py.detach(|| sources_of_lines(raw))
    } else {
        let (rows, mut cols) = arrow::string_columns(batch, &[text, id, date])?;
        let dates = cols.pop().flatten().unwrap_or_else(|| vec![None; rows]);
        let ids = cols.pop().flatten().unwrap_or_else(|| vec![None; rows]);
        let texts = cols.pop().flatten().ok_or_else(|| no_column(text))?;
        py.detach(|| sources_of_columns(texts, ids, dates))
    };
    let docs = run_all(py, sources, numbers, threads, |d| doc_rows(&d))?;
    arrow_out(py, docs, nested)
}

fn no_column(name: &str) -> PyErr {
    PyValueError::new_err(format!("the batch has no {name:?} column"))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_many, m)?)?;
    m.add_function(wrap_pyfunction!(columns, m)?)?;
    m.add_function(wrap_pyfunction!(tables_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_from_batch, m)?)?;
    m.add_class::<ArrowArray>()?;
    Ok(())
}
