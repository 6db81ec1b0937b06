//! Helpers shared by the integration tests.

#![allow(dead_code)]

use dualopt::prelude::*;
use std::path::PathBuf;

/// Path of the shipped tips data.
pub fn tips_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tips.csv")
}

/// The textbook's derived column pcttip = tip / total_bill * 100, row by row.
pub fn tips_pcttip() -> Dataset {
    let data = Dataset::from_csv(tips_path(), "tip", &["total_bill"]).expect("tips.csv loads");
    let pct: Vec<f64> = data
        .targets()
        .iter()
        .zip(data.features().column(0))
        .map(|(tip, bill)| tip / bill * 100.0)
        .collect();
    Dataset::from_targets(pct).expect("pcttip is finite")
}
