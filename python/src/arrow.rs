//! Arrow columns built in Rust and handed to pyarrow through the Arrow C Data Interface
//! (<https://arrow.apache.org/docs/format/CDataInterface.html>), with the PyCapsule
//! protocol (`__arrow_c_array__`): no Python object per value on the way out, and the
//! input's string columns read straight from their Arrow buffers on the way in.
//!
//! Hand-built rather than the `arrow` crates: the binding needs four column types (UTF-8,
//! int64, float64, bool), structs and lists, which is two `repr(C)` structs and their
//! release callbacks, against a dozen crates to compile for the wheel.

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

/// `ArrowSchema` of the C Data Interface.
#[repr(C)]
pub(crate) struct FfiSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut FfiSchema,
    dictionary: *mut FfiSchema,
    release: Option<unsafe extern "C" fn(*mut FfiSchema)>,
    private_data: *mut c_void,
}

/// `ArrowArray` of the C Data Interface.
#[repr(C)]
pub(crate) struct FfiArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut FfiArray,
    dictionary: *mut FfiArray,
    release: Option<unsafe extern "C" fn(*mut FfiArray)>,
    private_data: *mut c_void,
}

/// `ARROW_FLAG_NULLABLE`: every field of the newsfacts schemas may hold nulls.
const FLAG_NULLABLE: i64 = 2;

/// One owned buffer of an array, kept in its element type so it stays aligned for it.
enum Buffer {
    /// The validity bitmap of an array without nulls: a null pointer.
    Absent,
    Bytes(Vec<u8>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
}

impl Buffer {
    fn ptr(&self) -> *const c_void {
        match self {
            Buffer::Absent => ptr::null(),
            Buffer::Bytes(v) => v.as_ptr().cast(),
            Buffer::I32(v) => v.as_ptr().cast(),
            Buffer::I64(v) => v.as_ptr().cast(),
            Buffer::F64(v) => v.as_ptr().cast(),
        }
    }
}

/// A validity bitmap under construction (bit set = value present).
#[derive(Default)]
pub(crate) struct Validity {
    bits: Vec<u8>,
    len: usize,
    nulls: usize,
}

impl Validity {
    fn push(&mut self, valid: bool) {
        if self.len.is_multiple_of(8) {
            self.bits.push(0);
        }
        if valid {
            self.bits[self.len / 8] |= 1 << (self.len % 8);
        } else {
            self.nulls += 1;
        }
        self.len += 1;
    }

    fn into_buffer(self) -> (Buffer, usize) {
        if self.nulls == 0 {
            (Buffer::Absent, 0)
        } else {
            (Buffer::Bytes(self.bits), self.nulls)
        }
    }
}

/// The type of a column of a newsfacts table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell {
    Text,
    Int,
    Float,
    Bool,
}

impl Cell {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cell::Text => "string",
            Cell::Int => "int64",
            Cell::Float => "float64",
            Cell::Bool => "bool",
        }
    }
}

/// A column being filled from CSV cells; an empty cell is a null.
pub(crate) enum ColumnBuilder {
    Text {
        offsets: Vec<i32>,
        data: Vec<u8>,
        valid: Validity,
    },
    Int {
        values: Vec<i64>,
        valid: Validity,
    },
    Float {
        values: Vec<f64>,
        valid: Validity,
    },
    Bool {
        values: Validity,
        valid: Validity,
    },
}

/// A cell that does not read as its column's type, or a column too big for 32-bit offsets.
#[derive(Debug)]
pub(crate) struct CellError(pub(crate) String);

impl ColumnBuilder {
    pub(crate) fn new(kind: Cell) -> Self {
        match kind {
            Cell::Text => ColumnBuilder::Text {
                offsets: vec![0],
                data: Vec::new(),
                valid: Validity::default(),
            },
            Cell::Int => ColumnBuilder::Int {
                values: Vec::new(),
                valid: Validity::default(),
            },
            Cell::Float => ColumnBuilder::Float {
                values: Vec::new(),
                valid: Validity::default(),
            },
            Cell::Bool => ColumnBuilder::Bool {
                values: Validity::default(),
                valid: Validity::default(),
            },
        }
    }

    fn kind(&self) -> Cell {
        match self {
            ColumnBuilder::Text { .. } => Cell::Text,
            ColumnBuilder::Int { .. } => Cell::Int,
            ColumnBuilder::Float { .. } => Cell::Float,
            ColumnBuilder::Bool { .. } => Cell::Bool,
        }
    }

    /// Appends one CSV cell (as the CSV writer wrote it).
    pub(crate) fn push(&mut self, cell: &str, column: &str) -> Result<(), CellError> {
        let kind = self.kind();
        let bad = || {
            CellError(format!(
                "column {column}: cell {cell:?} is not a {}; please report it",
                kind.name()
            ))
        };
        let present = !cell.is_empty();
        match self {
            ColumnBuilder::Text {
                offsets,
                data,
                valid,
            } => {
                data.extend_from_slice(cell.as_bytes());
                let end = i32::try_from(data.len()).map_err(|_| {
                    CellError(format!(
                        "column {column} holds over 2 GiB of text in one batch; use smaller batches"
                    ))
                })?;
                offsets.push(end);
                valid.push(present);
            }
            ColumnBuilder::Int { values, valid } => {
                values.push(if present {
                    cell.parse::<i64>().map_err(|_| bad())?
                } else {
                    0
                });
                valid.push(present);
            }
            ColumnBuilder::Float { values, valid } => {
                values.push(if present {
                    cell.parse::<f64>().map_err(|_| bad())?
                } else {
                    0.0
                });
                valid.push(present);
            }
            ColumnBuilder::Bool { values, valid } => {
                values.push(match cell {
                    "true" => true,
                    "false" | "" => false,
                    _ => return Err(bad()),
                });
                valid.push(present);
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self, name: &str) -> Node {
        let (format, len, buffers, nulls) = match self {
            ColumnBuilder::Text {
                offsets,
                data,
                valid,
            } => {
                let len = valid.len;
                let (v, nulls) = valid.into_buffer();
                (
                    "u",
                    len,
                    vec![v, Buffer::I32(offsets), Buffer::Bytes(data)],
                    nulls,
                )
            }
            ColumnBuilder::Int { values, valid } => {
                let len = valid.len;
                let (v, nulls) = valid.into_buffer();
                ("l", len, vec![v, Buffer::I64(values)], nulls)
            }
            ColumnBuilder::Float { values, valid } => {
                let len = valid.len;
                let (v, nulls) = valid.into_buffer();
                ("g", len, vec![v, Buffer::F64(values)], nulls)
            }
            ColumnBuilder::Bool { values, valid } => {
                let len = valid.len;
                let (v, nulls) = valid.into_buffer();
                ("b", len, vec![v, Buffer::Bytes(values.bits)], nulls)
            }
        };
        Node {
            format,
            name: name.to_string(),
            length: len,
            null_count: nulls,
            buffers,
            children: Vec::new(),
        }
    }
}

/// An owned Arrow array with its field (name, format), before export.
pub(crate) struct Node {
    format: &'static str,
    name: String,
    length: usize,
    null_count: usize,
    buffers: Vec<Buffer>,
    children: Vec<Node>,
}

impl Node {
    /// A struct array of `children`, all of `length` rows (a record batch is one).
    pub(crate) fn structure(name: &str, length: usize, children: Vec<Node>) -> Node {
        Node {
            format: "+s",
            name: name.to_string(),
            length,
            null_count: 0,
            buffers: vec![Buffer::Absent],
            children,
        }
    }

    /// A list array: row `i` holds `item` rows `offsets[i]..offsets[i + 1]`.
    pub(crate) fn list(name: &str, offsets: Vec<i32>, item: Node) -> Node {
        Node {
            format: "+l",
            name: name.to_string(),
            length: offsets.len().saturating_sub(1),
            null_count: 0,
            buffers: vec![Buffer::Absent, Buffer::I32(offsets)],
            children: vec![item],
        }
    }

    /// The same array under another field name.
    pub(crate) fn renamed(mut self, name: &str) -> Node {
        self.name = name.to_string();
        self
    }

    /// The schema and array of this node, to be moved into capsules.
    fn export(self) -> (Box<FfiSchema>, Box<FfiArray>) {
        let schema = export_schema(&self);
        let array = export_array(self);
        (schema, array)
    }
}

/// What an exported schema owns, freed by its release callback.
struct SchemaPrivate {
    format: CString,
    name: CString,
    children: Vec<*mut FfiSchema>,
}

fn export_schema(node: &Node) -> Box<FfiSchema> {
    let mut private = Box::new(SchemaPrivate {
        // Formats are fixed ASCII and names are column names: neither holds a NUL.
        format: CString::new(node.format).unwrap_or_default(),
        name: CString::new(node.name.as_str()).unwrap_or_default(),
        children: node
            .children
            .iter()
            .map(|c| Box::into_raw(export_schema(c)))
            .collect(),
    });
    Box::new(FfiSchema {
        format: private.format.as_ptr(),
        name: private.name.as_ptr(),
        metadata: ptr::null(),
        flags: FLAG_NULLABLE,
        n_children: private.children.len() as i64,
        children: private.children.as_mut_ptr(),
        dictionary: ptr::null_mut(),
        release: Some(release_schema),
        private_data: Box::into_raw(private).cast(),
    })
}

unsafe extern "C" fn release_schema(schema: *mut FfiSchema) {
    // SAFETY: called by the consumer (or our capsule) on a schema made by export_schema,
    // once: release is set to None below, as the C Data Interface requires.
    unsafe {
        let Some(schema) = schema.as_mut() else {
            return;
        };
        if schema.release.is_none() {
            return;
        }
        let private = Box::from_raw(schema.private_data.cast::<SchemaPrivate>());
        for &child in &private.children {
            if let Some(release) = (*child).release {
                release(child);
            }
            drop(Box::from_raw(child));
        }
        drop(private);
        schema.release = None;
    }
}

/// What an exported array owns, freed by its release callback.
struct ArrayPrivate {
    _buffers: Vec<Buffer>,
    buffer_ptrs: Vec<*const c_void>,
    children: Vec<*mut FfiArray>,
}

fn export_array(node: Node) -> Box<FfiArray> {
    let Node {
        length,
        null_count,
        buffers,
        children,
        ..
    } = node;
    let mut private = Box::new(ArrayPrivate {
        buffer_ptrs: buffers.iter().map(Buffer::ptr).collect(),
        _buffers: buffers,
        children: children
            .into_iter()
            .map(|c| Box::into_raw(export_array(c)))
            .collect(),
    });
    Box::new(FfiArray {
        length: length as i64,
        null_count: null_count as i64,
        offset: 0,
        n_buffers: private.buffer_ptrs.len() as i64,
        n_children: private.children.len() as i64,
        buffers: private.buffer_ptrs.as_mut_ptr(),
        children: private.children.as_mut_ptr(),
        dictionary: ptr::null_mut(),
        release: Some(release_array),
        private_data: Box::into_raw(private).cast(),
    })
}

unsafe extern "C" fn release_array(array: *mut FfiArray) {
    // SAFETY: as release_schema, for an array made by export_array.
    unsafe {
        let Some(array) = array.as_mut() else {
            return;
        };
        if array.release.is_none() {
            return;
        }
        let private = Box::from_raw(array.private_data.cast::<ArrayPrivate>());
        for &child in &private.children {
            if let Some(release) = (*child).release {
                release(child);
            }
            drop(Box::from_raw(child));
        }
        drop(private);
        array.release = None;
    }
}

/// A C struct moved into a capsule (by value: the capsule's pointer is the struct's
/// address, as the PyCapsule protocol wants); the consumer moves it out (leaving `release` empty),
/// or the capsule's destructor releases it.
struct Owned<T>(T);
// SAFETY: the exported structs own their buffers outright; nothing is shared.
unsafe impl<T> Send for Owned<T> {}

/// An Arrow array made in Rust, importable by pyarrow without a copy:
/// `pyarrow.record_batch(obj)` (a struct of columns) through `__arrow_c_array__`.
#[pyclass(module = "newsfacts._native", name = "ArrowArray")]
pub(crate) struct ArrowArray {
    node: Option<Node>,
}

impl ArrowArray {
    pub(crate) fn new(node: Node) -> Self {
        ArrowArray { node: Some(node) }
    }
}

#[pymethods]
impl ArrowArray {
    /// The Arrow PyCapsule protocol: `(schema capsule, array capsule)`, once.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &mut self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        // The schema is fixed (arrow_schema()); a requested one is not honoured, which the
        // protocol allows.
        let _ = requested_schema;
        let node = self.node.take().ok_or_else(|| {
            PyValueError::new_err("this newsfacts Arrow array was already exported")
        })?;
        let (schema, array) = node.export();
        let schema = PyCapsule::new_with_value_and_destructor(
            py,
            Owned(*schema),
            c"arrow_schema",
            |mut s: Owned<FfiSchema>, _| {
                if let Some(release) = s.0.release {
                    // SAFETY: not moved out by a consumer (release still set).
                    unsafe { release(&mut s.0) };
                }
            },
        )?;
        let array = PyCapsule::new_with_value_and_destructor(
            py,
            Owned(*array),
            c"arrow_array",
            |mut a: Owned<FfiArray>, _| {
                if let Some(release) = a.0.release {
                    // SAFETY: as above.
                    unsafe { release(&mut a.0) };
                }
            },
        )?;
        PyTuple::new(py, [schema, array])
    }
}

// ---------------------------------------------------------------------------------------
// The input side: string columns of a record batch, read from their Arrow buffers.

/// One string column's rows (None for a null).
pub(crate) type StringColumn = Vec<Option<String>>;

/// The string columns asked for, read from a batch exported by
/// `batch.__arrow_c_array__()`: for each name, `None` when the batch has no such column,
/// else one optional str per row (null stays None). UTF-8 is checked.
pub(crate) fn string_columns(
    batch: &Bound<'_, PyAny>,
    names: &[&str],
) -> PyResult<(usize, Vec<Option<StringColumn>>)> {
    let pair = batch.call_method0("__arrow_c_array__")?;
    let (schema_capsule, array_capsule): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) =
        pair.extract()?;
    let schema = schema_capsule.pointer_checked(Some(c"arrow_schema"))?;
    let array = array_capsule.pointer_checked(Some(c"arrow_array"))?;
    // SAFETY: the capsules hold a live ArrowSchema/ArrowArray owned by them (we only
    // borrow; their destructors release them when the capsules go) for this call.
    let (schema, array) = unsafe {
        (
            &*schema.as_ptr().cast::<FfiSchema>(),
            &*array.as_ptr().cast::<FfiArray>(),
        )
    };
    // SAFETY: format and names are NUL-terminated strings by the interface's contract.
    let format = unsafe { CStr::from_ptr(schema.format) }.to_string_lossy();
    if format != "+s" || schema.n_children != array.n_children {
        return Err(PyTypeError::new_err(
            "expected a record batch (an Arrow struct array)",
        ));
    }
    let rows = usize::try_from(array.length).unwrap_or(0);
    let base = usize::try_from(array.offset).unwrap_or(0);
    let mut out = Vec::with_capacity(names.len());
    for want in names {
        let mut found = None;
        for i in 0..schema.n_children as usize {
            // SAFETY: children arrays hold n_children valid pointers.
            let (cs, ca) = unsafe { (&**schema.children.add(i), &**array.children.add(i)) };
            let name = unsafe { CStr::from_ptr(cs.name) }.to_string_lossy();
            if name == *want {
                found = Some(read_strings(cs, ca, base, rows, want)?);
                break;
            }
        }
        out.push(found);
    }
    Ok((rows, out))
}

/// The error for a column that is there but not of a string type (the Python side casts
/// id/date columns of other types first, and refuses a text column that is not text).
const NOT_STRINGS: &str = "is not a string column";

fn read_strings(
    schema: &FfiSchema,
    array: &FfiArray,
    parent_offset: usize,
    rows: usize,
    name: &str,
) -> PyResult<Vec<Option<String>>> {
    // SAFETY: as above.
    let format = unsafe { CStr::from_ptr(schema.format) }
        .to_string_lossy()
        .into_owned();
    let large = match format.as_str() {
        "u" => false,
        "U" => true,
        _ => {
            return Err(PyTypeError::new_err(format!(
                "column {name:?} {NOT_STRINGS} (Arrow format {format:?})"
            )))
        }
    };
    let offset = parent_offset + usize::try_from(array.offset).unwrap_or(0);
    if usize::try_from(array.length).unwrap_or(0) < parent_offset + rows || array.n_buffers != 3 {
        return Err(PyValueError::new_err(format!(
            "column {name:?} is shorter than its batch"
        )));
    }
    // SAFETY: a utf8/large_utf8 array has 3 buffers: validity (maybe null), offsets of
    // length+offset+1 entries, data; the batch is alive while we read.
    let texts = unsafe {
        let validity = *array.buffers;
        let offsets = *array.buffers.add(1);
        let data = (*array.buffers.add(2)).cast::<u8>();
        let at = |i: usize| -> usize {
            if large {
                *offsets.cast::<i64>().add(i) as usize
            } else {
                *offsets.cast::<i32>().add(i) as usize
            }
        };
        let mut texts = Vec::with_capacity(rows);
        for row in 0..rows {
            let i = offset + row;
            let valid =
                validity.is_null() || (*validity.cast::<u8>().add(i / 8) >> (i % 8)) & 1 == 1;
            if !valid {
                texts.push(None);
                continue;
            }
            let (s, e) = (at(i), at(i + 1));
            let bytes = std::slice::from_raw_parts(data.add(s), e.saturating_sub(s));
            match std::str::from_utf8(bytes) {
                Ok(t) => texts.push(Some(t.to_string())),
                Err(_) => {
                    return Err(PyValueError::new_err(format!(
                        "column {name:?}, row {row}: not valid UTF-8"
                    )))
                }
            }
        }
        texts
    };
    Ok(texts)
}
