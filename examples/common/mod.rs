//! Loading of the shipped tips data, shared by the examples.

// Each example uses only some of these helpers.
#![allow(dead_code)]

use dualopt::prelude::*;
use std::path::PathBuf;

/// Path of data/tips.csv in this repository.
pub fn tips_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tips.csv")
}

/// Reads the tips data and computes the textbook's pcttip = tip / total_bill * 100, row by
/// row, as the targets of a dataset without features.
pub fn tips_pcttip() -> Result<Dataset, Error> {
    let raw = Dataset::from_csv(tips_path(), "tip", &["total_bill"])?;
    let pcttip: Vec<f64> = raw
        .targets()
        .iter()
        .zip(raw.features().column(0))
        .map(|(tip, bill)| tip / bill * 100.0)
        .collect();
    Dataset::from_targets(pcttip)
}
