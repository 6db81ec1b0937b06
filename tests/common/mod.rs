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

/// numpy's pairwise summation written out plainly, as an independent reference.
pub fn numpy_pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        a.iter().fold(0.0, |s, &x| s + x)
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let whole = n - n % 8;
        for i in (8..whole).step_by(8) {
            for k in 0..8 {
                r[k] += a[i + k];
            }
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[whole..] {
            s += x;
        }
        s
    } else {
        let mut half = n / 2;
        half -= half % 8;
        numpy_pairwise(&a[..half]) + numpy_pairwise(&a[half..])
    }
}
