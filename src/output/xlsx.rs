//! `newsfacts.xlsx`: the five tables as sheets of one workbook, for spreadsheet users
//! (a CSV file with Chinese text opens as mojibake in LibreOffice unless its import
//! options are set by hand; a workbook carries its encoding).
//!
//! Cells: text is always a text cell (never a formula, whatever it starts with); integers
//! and decimals are number cells only when a double holds them exactly and a spreadsheet
//! shows them exactly (at most 15 significant digits), else text, never rounded; day dates
//! (`2025-09-05`) are date cells, other ISO dates (`2025-Q3`) text. The header row is
//! frozen, an autofilter covers the table and column widths fit the longest cell. Sheets are
//! written in constant-memory mode (rows streamed to temporary files), and a table longer
//! than a sheet's 1,048,576 rows goes on in `entities 2`, `entities 3`, ...

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::rows::Table;
use super::typed::{split_decimal, table_name, Column, Resolved, TypedSpill};

/// Rows per sheet, the header included (Excel's limit).
const SHEET_ROWS: u32 = 1_048_576;
/// Characters a cell holds (Excel's limit); longer text is cut with a note.
const CELL_CHARS: usize = 32_767;
/// Widest column, in characters.
const MAX_WIDTH: usize = 60;

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(format!("writing newsfacts.xlsx: {e}"))
}

/// Whether a spreadsheet number cell shows `s` exactly: a plain decimal of at most 15
/// significant digits whose nearest double prints back as the same decimal.
pub fn exact_number(s: &str) -> Option<f64> {
    let (_, int, frac) = split_decimal(s)?;
    let digits = format!("{int}{frac}");
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant > 15 {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    let canonical = |t: &str| -> String {
        let (neg, int, frac) = split_decimal(t).unwrap_or((false, t, ""));
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let sign = if neg && !(int.is_empty() && frac.is_empty()) {
            "-"
        } else {
            ""
        };
        let int = if int.is_empty() { "0" } else { int };
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    };
    (canonical(&format!("{v}")) == canonical(s)).then_some(v)
}

/// A `YYYY-MM-DD` day that a spreadsheet date cell can hold (1900 to 9999).
fn day_date(s: &str) -> Option<ExcelDateTime> {
    if s.len() != 10 {
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

struct Formats {
    header: Format,
    date: Format,
}

/// Writes one cell of `column`.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    column: &Column,
    cell: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    match column.kind {
        Resolved::Int | Resolved::Decimal { .. } => {
            if let Some(v) = exact_number(cell) {
                sheet.write_number(row, col, v)?;
                return Ok(());
            }
        }
        Resolved::Bool => {
            if let Ok(b) = cell.parse::<bool>() {
                sheet.write_boolean(row, col, b)?;
                return Ok(());
            }
        }
        Resolved::IsoDate => {
            if let Some(d) = day_date(cell) {
                sheet.write_datetime_with_format(row, col, &d, &formats.date)?;
                return Ok(());
            }
        }
        Resolved::Text => {}
    }
    write_text(sheet, row, col, cell)
}

/// A text cell; text longer than a cell holds is cut, saying so in the cell.
fn write_text(sheet: &mut Worksheet, row: u32, col: u16, cell: &str) -> Result<(), XlsxError> {
    if cell.chars().count() <= CELL_CHARS {
        sheet.write_string(row, col, cell)?;
    } else {
        let note = " [cut: longer than a spreadsheet cell holds; see the CSV or JSONL]";
        let keep = CELL_CHARS - note.chars().count();
        let head: String = cell.chars().take(keep).collect();
        sheet.write_string(row, col, format!("{head}{note}"))?;
    }
    Ok(())
}

/// Names, widths, header row and frozen pane of a new sheet.
fn start_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (i, c) in columns.iter().enumerate() {
        let width = match c.kind {
            Resolved::IsoDate => c.width.max(10),
            _ => c.width,
        };
        sheet.set_column_width(i as u16, (width.clamp(4, MAX_WIDTH) + 2) as f64)?;
    }
    for (i, c) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, &c.name, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn finish_sheet(sheet: &mut Worksheet, rows: u32, columns: usize) -> Result<(), XlsxError> {
    if columns > 0 {
        sheet.autofilter(0, 0, rows.saturating_sub(1), (columns - 1) as u16)?;
    }
    Ok(())
}

/// Writes the workbook to `path` atomically.
pub fn write_workbook(
    path: &Path,
    spill: &TypedSpill,
    schemas: &[(Table, Vec<Column>)],
) -> std::io::Result<()> {
    let mut wb = Workbook::new();
    wb.set_tempdir(spill.dir()).map_err(io)?;
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    };
    for (table, columns) in schemas {
        let base = table_name(*table);
        let first = wb.add_worksheet_with_constant_memory().map_err(io)?;
        start_sheet(first, base, columns, &formats).map_err(io)?;
        let mut sheet_idx = wb.worksheets().len() - 1;
        let (mut row, mut part) = (1u32, 1u32);
        spill.for_each_document(*table, |rows| {
            for cells in rows {
                if row == SHEET_ROWS {
                    let full = wb.worksheet_from_index(sheet_idx).map_err(io)?;
                    finish_sheet(full, row, columns.len()).map_err(io)?;
                    part += 1;
                    let next = wb.add_worksheet_with_constant_memory().map_err(io)?;
                    start_sheet(next, &format!("{base} {part}"), columns, &formats).map_err(io)?;
                    sheet_idx += 1;
                    row = 1;
                }
                let sheet = wb.worksheet_from_index(sheet_idx).map_err(io)?;
                for (i, (column, cell)) in columns.iter().zip(&cells).enumerate() {
                    write_cell(sheet, row, i as u16, column, cell, &formats).map_err(io)?;
                }
                row += 1;
            }
            Ok(())
        })?;
        let last = wb.worksheet_from_index(sheet_idx).map_err(io)?;
        finish_sheet(last, row, columns.len()).map_err(io)?;
    }
    let tmp = super::tmp_name(path);
    wb.save(&tmp).map_err(io)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_only_when_shown_exactly() {
        assert_eq!(exact_number("14300000000"), Some(14_300_000_000.0));
        assert_eq!(exact_number("0.49"), Some(0.49));
        assert_eq!(exact_number("-3.5"), Some(-3.5));
        assert_eq!(exact_number("4726428700"), Some(4_726_428_700.0));
        // 16 and 17 significant digits: a double or a spreadsheet's display would round.
        assert_eq!(exact_number("9007199254740993"), None);
        assert_eq!(exact_number("1234567890.1234567"), None);
        assert_eq!(exact_number("123456789012345"), Some(123_456_789_012_345.0));
        assert_eq!(exact_number("1e5"), None);
        assert_eq!(exact_number(""), None);
    }

    #[test]
    fn only_days_become_date_cells() {
        assert!(day_date("2025-09-05").is_some());
        assert!(day_date("2025-09").is_none());
        assert!(day_date("2025-Q3").is_none());
        assert!(day_date("0990-01-01").is_none());
        assert!(day_date("2025-02-30").is_none());
    }
}
