//! `*.parquet`: one Parquet file per table with typed columns, for DuckDB, pandas,
//! Spark and Polars users.
//!
//! Column types: offsets and counts `INT64`; amounts, fact values and percentages
//! `DECIMAL(38, s)` with `s` the deepest fraction of the run (exact: a value no such
//! decimal holds makes the column text instead); `relative` `BOOLEAN`; everything else,
//! ISO dates included, UTF-8 strings. An empty CSV cell is a null. The columns come from
//! the CSV row definitions (see `typed`), so new CSV columns appear here as strings or
//! with their type. Row groups of at most [`ROW_GROUP_ROWS`] rows are written as the
//! sorted documents stream out of the spill, cut at document boundaries; the file is
//! written under a temporary name and renamed.
//!
//! The low-level `parquet` API is used without the `arrow` feature: the tables are flat,
//! and arrow's seven crates would double the build time of this dependency.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int64Type,
};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::rows::Table;
use super::typed::{decimal_unscaled, Column, Resolved, TypedSpill, MAX_PRECISION};

/// Rows per row group, at most (a group ends at a document boundary past this).
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

fn io(e: ParquetError) -> std::io::Error {
    std::io::Error::other(format!("writing Parquet: {e}"))
}

/// The Parquet schema of a table's columns; every column is optional (a blank CSV cell is null).
pub fn schema(columns: &[Column]) -> Result<Type, ParquetError> {
    let mut fields = Vec::with_capacity(columns.len());
    for c in columns {
        let builder = match c.kind {
            Resolved::Text | Resolved::IsoDate => {
                Type::primitive_type_builder(&c.name, PhysicalType::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String))
            }
            Resolved::Int => Type::primitive_type_builder(&c.name, PhysicalType::INT64),
            Resolved::Bool => Type::primitive_type_builder(&c.name, PhysicalType::BOOLEAN),
            Resolved::Decimal { scale } => {
                Type::primitive_type_builder(&c.name, PhysicalType::FIXED_LEN_BYTE_ARRAY)
                    .with_length(16)
                    .with_logical_type(Some(LogicalType::decimal(
                        scale as i32,
                        MAX_PRECISION as i32,
                    )))
                    .with_precision(MAX_PRECISION as i32)
                    .with_scale(scale as i32)
            }
        };
        fields.push(Arc::new(
            builder.with_repetition(Repetition::OPTIONAL).build()?,
        ));
    }
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
}

/// One column's non-null values and definition levels (1 = present, 0 = null).
fn levels<T>(
    rows: &[Vec<String>],
    i: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> (Vec<T>, Vec<i16>) {
    let mut values = Vec::with_capacity(rows.len());
    let mut defs = Vec::with_capacity(rows.len());
    for row in rows {
        match row
            .get(i)
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .and_then(&parse)
        {
            Some(v) => {
                values.push(v);
                defs.push(1);
            }
            None => defs.push(0),
        }
    }
    (values, defs)
}

/// Writes `rows` as one row group.
fn write_group(
    writer: &mut SerializedFileWriter<BufWriter<File>>,
    columns: &[Column],
    rows: &[Vec<String>],
) -> Result<(), ParquetError> {
    let mut group = writer.next_row_group()?;
    for (i, column) in columns.iter().enumerate() {
        let Some(mut col) = group.next_column()? else {
            return Err(ParquetError::General(format!(
                "column {} missing from the schema",
                column.name
            )));
        };
        match column.kind {
            Resolved::Text | Resolved::IsoDate => {
                let (v, d) = levels(rows, i, |c| Some(ByteArray::from(c.as_bytes().to_vec())));
                col.typed::<ByteArrayType>()
                    .write_batch(&v, Some(&d), None)?;
            }
            Resolved::Int => {
                let (v, d) = levels(rows, i, |c| c.parse::<i64>().ok());
                col.typed::<Int64Type>().write_batch(&v, Some(&d), None)?;
            }
            Resolved::Bool => {
                let (v, d) = levels(rows, i, |c| c.parse::<bool>().ok());
                col.typed::<BoolType>().write_batch(&v, Some(&d), None)?;
            }
            Resolved::Decimal { scale } => {
                let (v, d) = levels(rows, i, |c| {
                    decimal_unscaled(c, scale)
                        .map(|n| FixedLenByteArray::from(n.to_be_bytes().to_vec()))
                });
                col.typed::<FixedLenByteArrayType>()
                    .write_batch(&v, Some(&d), None)?;
            }
        }
        col.close()?;
    }
    group.close()?;
    Ok(())
}

/// Writes `table` from the sorted spill into `path`, atomically.
pub fn write_table(
    path: &Path,
    spill: &TypedSpill,
    table: Table,
    columns: &[Column],
) -> std::io::Result<()> {
    let tmp = super::tmp_name(path);
    let result = (|| -> std::io::Result<()> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("newsfacts {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = BufWriter::new(File::create(&tmp)?);
        let mut writer = SerializedFileWriter::new(
            file,
            Arc::new(schema(columns).map_err(io)?),
            Arc::new(props),
        )
        .map_err(io)?;
        let mut group: Vec<Vec<String>> = Vec::new();
        spill.for_each_document(table, |rows| {
            group.extend(rows);
            if group.len() >= ROW_GROUP_ROWS {
                write_group(&mut writer, columns, &group).map_err(io)?;
                group.clear();
            }
            Ok(())
        })?;
        if !group.is_empty() {
            write_group(&mut writer, columns, &group).map_err(io)?;
        }
        writer.close().map_err(io)?;
        Ok(())
    })();
    match result {
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
