//! Checks the textbook's hand-written gradients against dual numbers and finite
//! differences, then shows a wrong hand-written gradient being caught.
//!
//! Run with `cargo run --example gradcheck`. The data are the tips dataset's pcttip column
//! (tip / total_bill · 100, 244 rows) and, for the quartic loss, the single target y = 0
//! of the textbook's non-convex example.

use dualopt::check::ComparisonReport;
use dualopt::prelude::*;
use std::path::PathBuf;

/// Computes the textbook's MSE gradient for a constant model: −2 · mean(y − θ).
fn mse_gradient(y: &[f64], theta: f64) -> f64 {
    -2.0 * mean(y.iter().map(|yi| yi - theta))
}

/// Computes the textbook's Huber gradient for δ = 1: mean of −(y − θ) where |y − θ| < δ
/// and of −δ · sign(y − θ) elsewhere.
fn huber_gradient(y: &[f64], theta: f64) -> f64 {
    let delta = 1.0;
    mean(y.iter().map(|yi| {
        let r = yi - theta;
        if r.abs() < delta {
            -r
        } else {
            -delta * r.signum()
        }
    }))
}

/// Computes the textbook's quartic-loss gradient: mean of −(2r³ + 9r² − 529r − 327)/2500
/// with r = y − θ.
fn quartic_gradient(y: &[f64], theta: f64) -> f64 {
    mean(y.iter().map(|yi| {
        let r = yi - theta;
        -(2.0 * r.powi(3) + 9.0 * r.powi(2) - 529.0 * r - 327.0) / 2500.0
    }))
}

/// Computes a deliberately wrong MSE gradient: the factor 2 is missing.
fn mse_gradient_missing_factor(y: &[f64], theta: f64) -> f64 {
    -mean(y.iter().map(|yi| yi - theta))
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

fn tips_pcttip() -> Result<Dataset, dualopt::Error> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tips.csv");
    let data = Dataset::from_csv(path, "tip", &["total_bill"])?;
    let pct: Vec<f64> = data
        .targets()
        .iter()
        .zip(data.features().column(0))
        .map(|(tip, bill)| tip / bill * 100.0)
        .collect();
    Dataset::from_targets(pct)
}

/// Compares a hand-written gradient at each θ and prints a one-line verdict per point.
fn compare_at<L: Loss>(
    name: &str,
    risk: &EmpiricalRisk<'_, Constant, L>,
    hand_written: impl Fn(&[f64], f64) -> f64,
    thetas: &[f64],
) -> Result<Vec<ComparisonReport>, dualopt::Error> {
    let y = risk.data().targets().to_vec();
    let analytic = |t: &[f64]| vec![hand_written(&y, t[0])];
    let mut reports = Vec::new();
    for &theta in thetas {
        let report =
            GradientCheck::new(FiniteDifference::richardson()).compare(risk, &[theta], analytic)?;
        let c = &report.coordinates[0];
        println!(
            "{name:>8} at θ = {theta:>7}: hand-written {:>+.12e}, dual {:>+.12e}, \
             Richardson {:>+.12e}: {}",
            c.analytic, c.dual, c.estimate, c.agreement
        );
        reports.push(report);
    }
    Ok(reports)
}

fn main() -> Result<(), dualopt::Error> {
    let tips = tips_pcttip()?;
    let zero = Dataset::from_targets(vec![0.0])?;
    let mse = EmpiricalRisk::new(Constant, SquaredError, &tips)?;
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &tips)?;
    let quartic = EmpiricalRisk::new(Constant, Quartic, &zero)?;

    println!("== The textbook's hand-written gradients, three ways ==\n");
    compare_at("MSE", &mse, mse_gradient, &[0.0, 10.0, 16.08])?;
    compare_at("Huber", &huber, huber_gradient, &[0.0, 10.0, 15.5])?;
    let quartic_reports = compare_at(
        "quartic",
        &quartic,
        quartic_gradient,
        &[-14.5, 0.0, 10.0, 18.4],
    )?;

    println!("\n== One comparison in full (quartic loss, y = 0, θ = −14.5) ==\n");
    println!("{}", quartic_reports[0]);

    println!("== Dual gradient against finite differences, per scheme (Huber on tips) ==\n");
    for fd in [FiniteDifference::central(), FiniteDifference::richardson()] {
        println!("{}", check_gradient(&huber, &[15.5], fd)?);
    }

    println!("== A data point on Huber's breakpoint: θ = y₀ − δ ==\n");
    let on_breakpoint = tips.targets()[0] - 1.0;
    println!(
        "{}",
        check_gradient(&huber, &[on_breakpoint], FiniteDifference::central())?
    );

    println!("== Taylor test of the hand-written quartic gradient (step-free) ==\n");
    let y0 = [0.0];
    let hand = [quartic_gradient(&y0, 10.0)];
    println!(
        "{}",
        TaylorTest::new().run_with_gradient(&quartic, &[10.0], &hand)?
    );

    println!("== A wrong hand-written gradient: MSE without its factor 2 ==\n");
    let y = tips.targets().to_vec();
    let wrong = |t: &[f64]| vec![mse_gradient_missing_factor(&y, t[0])];
    let report = compare_gradients(&mse, &[10.0], wrong)?;
    println!("{report}");
    match report.odd_one_out() {
        Some(source) => println!("caught: the {source} gradient disagrees with the other two\n"),
        None => println!("NOT caught\n"),
    }
    let taylor = TaylorTest::new().run_with_gradient(&mse, &[10.0], &wrong(&[10.0]))?;
    println!("{taylor}");
    Ok(())
}
