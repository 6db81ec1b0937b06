//! Convexity of every built-in loss as a mean over the tips data under the constant model,
//! then the textbook's non-convex quartic with its shrunk witness.
//!
//! Run with `cargo run --release --example convexity`.

mod common;

use dualopt::prelude::*;
use std::path::Path;

/// Chords per loss; the rule-of-three bound for a loss with no violation is 3/CHORDS.
const CHORDS: usize = 20_000;
const SEED: u64 = 2024;

fn main() {
    // Print errors with Display, which carries the message and the fix.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = common::tips_path();
    let tips = common::tips_pcttip()?;
    let smokers = Dataset::from_targets(smoker_labels(&path)?)?;
    println!(
        "{} rows of {}; pcttip = tip / total_bill * 100 for the regression losses, \
         smoker = Yes as the label for Logistic\n",
        tips.n_rows(),
        path.display()
    );

    // The regression losses are tested for θ between 0 and 80, which covers every pcttip
    // value (3.6 to 71). The logistic loss is tested for logits between −10 and 10.
    let percent = Domain::interval(0.0, 80.0);
    println!(
        "Each loss as a mean over the data, θ in [0, 80] (Logistic: logit in [−10, 10]), \
         {CHORDS} chords, seed {SEED}:\n"
    );
    println!(
        "{:<22} {:<20} {:<20} {:>10}",
        "loss", "convex", "concave", "violations"
    );
    verdict("SquaredError", SquaredError, &tips, &percent)?;
    verdict("AbsoluteError", AbsoluteError, &tips, &percent)?;
    verdict("Huber δ = 1", Huber { delta: 1.0 }, &tips, &percent)?;
    verdict(
        "PseudoHuber δ = 1",
        PseudoHuber { delta: 1.0 },
        &tips,
        &percent,
    )?;
    verdict("LogCosh", LogCosh, &tips, &percent)?;
    verdict("Quantile τ = 0.3", Quantile { tau: 0.3 }, &tips, &percent)?;
    verdict(
        "Logistic (smoker)",
        Logistic,
        &smokers,
        &Domain::interval(-10.0, 10.0),
    )?;
    verdict("Quartic (on pcttip)", Quartic, &tips, &percent)?;
    println!(
        "\nWhere no chord of {CHORDS} violates the inequality, fewer than 3/{CHORDS} = {:.1e} \
         of all chords can, at 95 % confidence (the rule of three).",
        3.0 / CHORDS as f64
    );

    // The textbook's quartic with the single observation y = 0, on [−23, 25].
    let single = Dataset::from_targets(vec![0.0])?;
    let quartic = EmpiricalRisk::new(Constant, Quartic, &single)?;
    let report = ConvexityTest::new(Domain::interval(-23.0, 25.0))
        .chords(CHORDS)
        .seed(SEED)
        .run(&quartic)?;
    println!("\nThe textbook's quartic, y = [0], θ in [−23, 25]:\n{report}");
    Ok(())
}

/// Prints one row of the table: both verdicts and the number of violating chords.
fn verdict<L: Loss>(name: &str, loss: L, data: &Dataset, domain: &Domain) -> dualopt::Result<()> {
    let risk = EmpiricalRisk::new(Constant, loss, data)?;
    let report = ConvexityTest::new(domain.clone())
        .chords(CHORDS)
        .seed(SEED)
        .run(&risk)?;
    let convex = match report.verdict {
        ConvexityVerdict::NoViolationFound => "no violation found",
        ConvexityVerdict::Violated => "NOT CONVEX",
    };
    let concave = match report.concave {
        ConvexityVerdict::NoViolationFound => "no violation found",
        ConvexityVerdict::Violated => "not concave",
    };
    println!(
        "{name:<22} {convex:<20} {concave:<20} {:>10}",
        report.violations
    );
    Ok(())
}

/// Reads the `smoker` column as labels: 1 for "Yes", 0 for "No".
fn smoker_labels(path: &Path) -> Result<Vec<f64>, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(path)?;
    let column = reader
        .headers()?
        .iter()
        .position(|h| h == "smoker")
        .ok_or("tips.csv has no smoker column")?;
    let mut labels = Vec::new();
    for record in reader.records() {
        let record = record?;
        labels.push(match record.get(column) {
            Some("Yes") => 1.0,
            Some("No") => 0.0,
            other => return Err(format!("unexpected smoker value {other:?}").into()),
        });
    }
    Ok(labels)
}
