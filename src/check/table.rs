//! Plain-text tables for the reports' `Display` output.

use std::fmt;

/// A table of right-aligned columns, padded by character count.
pub(crate) struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Appends a row; it must have one cell per header.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells);
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let write_line = |f: &mut fmt::Formatter<'_>, cells: &mut dyn Iterator<Item = &str>| {
            let mut line = String::new();
            for (k, (cell, w)) in cells.zip(&widths).enumerate() {
                if k > 0 {
                    line.push_str("  ");
                }
                line.push_str(&format!("{cell:>w$}"));
            }
            writeln!(f, "{}", line.trim_end())
        };
        write_line(f, &mut self.headers.iter().copied())?;
        for row in &self.rows {
            write_line(f, &mut row.iter().map(String::as_str))?;
        }
        Ok(())
    }
}

/// Formats a value with ten significant digits, as 1.234567890e2.
pub(crate) fn long(x: f64) -> String {
    format!("{x:.9e}")
}

/// Formats a value with three significant digits, as 1.23e-8.
pub(crate) fn short(x: f64) -> String {
    format!("{x:.2e}")
}
