//! Batch, stochastic and mini-batch descent side by side on the tips data with Huber loss.
//!
//! Run with `cargo run --release --example sgd`.

mod common;

use dualopt::prelude::*;

/// The Huber (δ = 1) minimizer on pcttip, found by bisection on Σ clip(yᵢ − θ, −1, 1).
const MINIMIZER: f64 = 15.530633813965784;

fn main() {
    // Print errors with Display, which carries the message and the fix.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let data = common::tips_pcttip()?;
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data)?;
    let n = data.n_rows();

    println!("Huber (δ = 1) on tips pcttip, {n} rows, θ0 = 0; minimizer {MINIMIZER}\n");
    println!(
        "{:<34} {:>9} {:>12} {:>12} {:>20} {:>12} {:>10}  stopped by",
        "method", "steps", "row grads", "full grads", "final θ", "loss", "|θ − θ*|"
    );

    let batch = GradientDescent::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .minimize(&risk, &[0.0])?;
    print_row("batch, α = 0.2, |Δθ| < 0.001", &batch);

    let batch_tight = GradientDescent::new()
        .learning_rate(0.2)
        .gradient_tolerance(1e-12)
        .max_iterations(100_000)
        .minimize(&risk, &[0.0])?;
    print_row("batch, α = 0.2, ‖∇f‖ ≤ 1e-12", &batch_tight);

    let textbook_sgd = Sgd::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .max_epochs(1000)
        .seed(0)
        .minimize(&risk, &[0.0])?;
    print_row("stochastic, α = 0.2, |Δθ| < 0.001", &textbook_sgd);

    let sgd = Sgd::new()
        .learning_rate(LearningRate::InverseTime {
            initial: 0.5,
            decay: 0.02,
        })
        .max_epochs(200)
        .seed(0)
        .minimize(&risk, &[0.0])?;
    print_row("stochastic, 0.5/(1 + 0.02t), 200 ep", &sgd);

    let mini = Sgd::new()
        .batch_size(10)
        .learning_rate(LearningRate::InverseTime {
            initial: 0.5,
            decay: 0.04,
        })
        .max_epochs(20_000)
        .seed(0)
        .minimize(&risk, &[0.0])?;
    print_row("mini-batch 10, 0.5/(1 + 0.04t), 20k ep", &mini);

    let adam = Sgd::new()
        .batch_size(10)
        .update(UpdateRule::ADAM)
        .learning_rate(LearningRate::Cosine {
            initial: 0.5,
            minimum: 1e-6,
            period: 25 * 2000,
        })
        .max_epochs(2000)
        .seed(0)
        .minimize(&risk, &[0.0])?;
    print_row("mini-batch 10, Adam, cosine", &adam);

    println!(
        "\nt is the step index. A step counts one update; row grads count per-row gradient evaluations \
         (a mini-batch of k rows counts k); full grads count full-data gradients, including \
         the one at the returned θ that reports its loss. The decaying runs stop at their \
         epoch limit by design: a stochastic step never gets small on its own."
    );
    Ok(())
}

fn print_row(name: &str, solution: &Solution) {
    println!(
        "{:<34} {:>9} {:>12} {:>12} {:>20} {:>12.6} {:>10.2e}  {}",
        name,
        solution.iterations,
        solution.evaluations.row_gradient,
        solution.evaluations.gradient,
        format!("{:?}", solution.theta[0]),
        solution.loss,
        (solution.theta[0] - MINIMIZER).abs(),
        stopped_by(&solution.termination)
    );
}

/// Returns a short name for the rule that ended a run.
fn stopped_by(termination: &Termination) -> &'static str {
    match termination {
        Termination::StepTolerance { .. } => "|Δθ| < tol",
        Termination::GradientTolerance { .. } => "‖∇f‖ ≤ tol",
        Termination::LossChange { .. } => "loss change",
        Termination::MaxIterations { .. } => "iteration limit",
        Termination::MaxEpochs { .. } => "epoch limit",
        Termination::Patience { .. } => "patience",
        _ => "other",
    }
}
