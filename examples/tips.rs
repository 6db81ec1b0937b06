//! The textbook's main job: a constant model fitted to tip percentages under MSE, MAE and
//! Huber loss, by grid search, by the textbook's gradient descent and by a tight run,
//! beside the closed form where one exists.
//!
//! Run with `cargo run --release --example tips`.

mod common;

use dualopt::prelude::*;

fn main() {
    // Print errors with Display, which carries the message and the fix.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let path = common::tips_path();
    let data = common::tips_pcttip()?;
    let pcttip = data.targets().to_vec();
    println!(
        "tips: {} rows from {}, pcttip = tip / total_bill * 100\n",
        data.n_rows(),
        path.display()
    );

    let mut sorted = pcttip.clone();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median_interval = if n.is_multiple_of(2) {
        (sorted[n / 2 - 1], sorted[n / 2])
    } else {
        (sorted[n / 2], sorted[n / 2])
    };
    let mean = pairwise_mean(&pcttip);

    println!(
        "{:<12} {:>20} {:>20} {:>20} {:>42}",
        "loss", "grid search", "textbook descent", "tight", "closed form"
    );
    print_row(
        "MSE",
        SquaredError,
        &data,
        Finish::Newton,
        format!("{mean:?} (mean)"),
    )?;
    print_row(
        "MAE",
        AbsoluteError,
        &data,
        Finish::Descent,
        format!(
            "[{:?}, {:?}] (medians)",
            median_interval.0, median_interval.1
        ),
    )?;
    print_row(
        "Huber δ = 1",
        Huber { delta: 1.0 },
        &data,
        Finish::Newton,
        "none".to_owned(),
    )?;
    println!(
        "\nGrid search: the first lowest of the 60 points of numpy's arange(12, 18, 0.1). \
         Textbook descent: θ0 = 0, α = 0.2, stop when |Δθ| < 0.001. Tight: Newton's method \
         from the textbook's answer for MSE and Huber; for MAE, whose Hessian is zero almost \
         everywhere, descent until |Δθ| < 1e-14."
    );

    println!("\nThe textbook's run: MSE on y = [12.1, 12.8, 14.9, 16.3, 17.2], θ0 = 0, α = 0.2");
    let small = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
    let mse = EmpiricalRisk::new(Constant, SquaredError, &small)?;
    let solution = textbook_descent()
        .observer(Progress::stdout(), ObserverMode::Always)
        .minimize(&mse, &[0.0])?;
    println!(
        "returned θ = {:?} after {} steps ({})",
        solution.theta[0], solution.iterations, solution.termination
    );

    learning_rates(&mse)?;
    quartic()?;
    Ok(())
}

/// Prints the same MSE run at several learning rates; the contraction per step is 1 − 2α.
fn learning_rates(mse: &impl Objective) -> Result<(), Error> {
    println!("\nThe learning rate on the same data (|Δθ| < 0.001, at most 10 000 steps):");
    for alpha in [0.01, 0.05, 0.2, 0.5, 0.9, 1.5] {
        let run = textbook_descent()
            .learning_rate(alpha)
            .max_iterations(10_000)
            .minimize(mse, &[0.0]);
        match run {
            Ok(s) => println!(
                "  α = {alpha:<4}: θ = {:<20} after {:>4} steps",
                format!("{:?}", s.theta[0]),
                s.iterations
            ),
            Err(e) => println!("  α = {alpha:<4}: {e}"),
        }
    }
    Ok(())
}

/// Prints the textbook's non-convex quartic loss runs with the single target y = 0.
fn quartic() -> Result<(), Error> {
    let zero = Dataset::from_targets(vec![0.0])?;
    let risk = EmpiricalRisk::new(Constant, Quartic, &zero)?;
    println!("\nThe quartic loss with y = [0]:");

    let step = GradientDescent::new()
        .learning_rate(2.5)
        .gradient_tolerance(None)
        .max_iterations(1)
        .minimize(&risk, &[-21.0])?;
    println!(
        "  one step with α = 2.5 from θ = −21: θ = {:?}",
        step.theta[0]
    );

    for start in [-21.0, 20.0] {
        let s = GradientDescent::new()
            .learning_rate(1.0)
            .gradient_tolerance(1e-12)
            .max_iterations(100_000)
            .minimize(&risk, &[start])?;
        println!(
            "  descent from θ = {start}: θ = {:.6}, loss {:.6} after {} steps",
            s.theta[0], s.loss, s.iterations
        );
    }
    Ok(())
}

/// Returns descent with the textbook's settings: α = 0.2, stop when |Δθ| < 0.001.
fn textbook_descent<'a>() -> GradientDescent<'a> {
    GradientDescent::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
}

/// The method behind the tight result.
enum Finish {
    /// Newton's method from the textbook's result, for twice-differentiable losses.
    Newton,
    /// Plain descent with tolerances near machine precision.
    Descent,
}

fn print_row<L: Loss>(
    name: &str,
    loss: L,
    data: &Dataset,
    finish: Finish,
    closed: String,
) -> Result<(), Error> {
    let risk = EmpiricalRisk::new(Constant, loss, data)?;
    let grid = GridSearch::arange(12.0, 18.0, 0.1)?.minimize(&risk)?;
    let textbook = textbook_descent().minimize(&risk, &[0.0])?;
    let tight = match finish {
        Finish::Newton => Newton::new()
            .gradient_tolerance(1e-14)
            .minimize(&risk, &textbook.theta)?,
        Finish::Descent => GradientDescent::new()
            .learning_rate(0.2)
            .gradient_tolerance(1e-13)
            .step_tolerance(1e-14)
            .max_iterations(200_000)
            .minimize(&risk, &textbook.theta)?,
    };
    println!(
        "{:<12} {:>20} {:>20} {:>20} {:>42}",
        name,
        format!("{:?}", grid.theta[0]),
        format!("{:?}", textbook.theta[0]),
        format!("{:?}", tight.theta[0]),
        closed
    );
    Ok(())
}

fn pairwise_mean(values: &[f64]) -> f64 {
    pairwise_sum(values) / values.len() as f64
}
