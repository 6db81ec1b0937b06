//! Writes the textbook's figures, each as SVG and PNG. They show the tips data, MSE and
//! Huber loss on it, and the step sequence of the textbook's descent run. They also show
//! the non-convex quartic with its local minimum and chords, and a linear model's contour
//! with batch and stochastic paths.
//!
//! Run with `cargo run --release --example figures -- OUTPUT_FOLDER`.

use dualopt::plot::{self, Column, PlotOptions};
mod common;

use dualopt::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!(
            "error: missing the output folder\n\
             usage: cargo run --release --example figures -- OUTPUT_FOLDER"
        );
        std::process::exit(2);
    };
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("error: cannot create {}: {error}", folder.display());
        std::process::exit(1);
    }
    if let Err(error) = write_figures(&folder) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

/// Writes every figure as `NAME.svg` and `NAME.png` in `folder`.
fn write_figures(folder: &Path) -> Result<(), Error> {
    let figure = Figures { folder };
    tips(&figure)?;
    steps(&figure)?;
    quartic(&figure)?;
    contour(&figure)?;
    Ok(())
}

/// The output folder, with a helper that draws each figure in both formats.
struct Figures<'a> {
    folder: &'a Path,
}

impl Figures<'_> {
    /// Calls `draw` once with `NAME.svg` and once with `NAME.png`, from the same options.
    fn both(
        &self,
        name: &str,
        options: impl Fn(PathBuf) -> PlotOptions,
        draw: impl Fn(&PlotOptions) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for extension in ["svg", "png"] {
            let options = options(self.folder.join(format!("{name}.{extension}")));
            draw(&options)?;
            println!("wrote {}", options.path().display());
        }
        Ok(())
    }
}

/// Draws the tips data: a histogram of pcttip, and the MSE and Huber losses over θ with
/// the data as a rug.
fn tips(figures: &Figures<'_>) -> Result<(), Error> {
    let data = common::tips_pcttip()?;
    figures.both(
        "tips_pcttip_histogram",
        |path| {
            PlotOptions::new(path)
                .title("Tip as a percentage of the total bill (244 meals)")
                .x_label("pcttip (%)")
        },
        |options| plot::histogram(&data, Column::Target, 30, options),
    )?;

    let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
    figures.both(
        "tips_mse_loss",
        |path| {
            PlotOptions::new(path)
                .title("MSE of the constant model on pcttip")
                .x_label("θ, predicted pcttip (%)")
                .y_label("mean squared error")
        },
        |options| plot::loss_curve(&mse, &data, Column::Target, options),
    )?;

    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data)?;
    figures.both(
        "tips_huber_loss",
        |path| {
            PlotOptions::new(path)
                .title("Huber loss (δ = 1) of the constant model on pcttip")
                .x_label("θ, predicted pcttip (%)")
                .y_label("mean Huber loss")
        },
        |options| plot::loss_curve(&huber, &data, Column::Target, options),
    )?;
    Ok(())
}

/// Runs the textbook's descent, MSE on y = [12.1, 12.8, 14.9, 16.3, 17.2] from θ₀ = 0 with
/// α = 0.2, stopping when |Δθ| < 0.001. Draws θ₀ with its tangent, the first four steps
/// and the path.
fn steps(figures: &Figures<'_>) -> Result<(), Error> {
    let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
    let solution = GradientDescent::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .record_trace(true)
        .minimize(&mse, &[0.0])?;
    println!(
        "textbook run: θ = {} after {} steps ({})",
        solution.theta[0], solution.iterations, solution.termination
    );

    // One x range for the whole sequence, so that the figures line up when shown in turn.
    let x_range = (-2.0, 20.0);
    figures.both(
        "steps_theta_marker",
        |path| {
            PlotOptions::new(path)
                .title("MSE on y = [12.1, 12.8, 14.9, 16.3, 17.2] at θ = 0")
                .x_range(x_range.0, x_range.1)
        },
        |options| plot::theta_marker(&mse, 0.0, options),
    )?;
    figures.both(
        "steps_tangent",
        |path| {
            PlotOptions::new(path)
                .title("Tangent at θ = 0: the slope sets the first step")
                .x_range(x_range.0, x_range.1)
        },
        |options| plot::tangent_line(&mse, 0.0, options),
    )?;
    for step in 0..4 {
        figures.both(
            &format!("steps_step_{step}"),
            |path| PlotOptions::new(path).x_range(x_range.0, x_range.1),
            |options| plot::descent_step(&mse, &solution, step, options),
        )?;
    }
    figures.both(
        "steps_path",
        |path| {
            PlotOptions::new(path)
                .title(format!(
                    "Gradient descent, α = 0.2: {} steps from θ₀ = 0",
                    solution.iterations
                ))
                .x_range(x_range.0, x_range.1)
        },
        |options| plot::descent_path(&mse, &solution, options),
    )?;
    Ok(())
}

/// Draws the textbook's non-convex quartic with y = [0]. Descent from θ₀ = −21 stops in the
/// local minimum near −14.5, and a chord across the bump shows that the loss is not convex,
/// once chosen by hand and once found by the convexity tester.
fn quartic(figures: &Figures<'_>) -> Result<(), Error> {
    let data = Dataset::from_targets(vec![0.0])?;
    let quartic = EmpiricalRisk::new(Constant, Quartic, &data)?;
    let solution = GradientDescent::new()
        .learning_rate(0.3)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .record_trace(true)
        .minimize(&quartic, &[-21.0])?;
    println!(
        "quartic from −21: θ = {} after {} steps ({})",
        solution.theta[0], solution.iterations, solution.termination
    );
    figures.both(
        "quartic_local_minimum",
        |path| {
            PlotOptions::new(path)
                .title(format!(
                    "Quartic loss: descent from −21 stops at θ = {}",
                    format!("{:.2}", solution.theta[0]).replace('-', "−")
                ))
                .x_range(-23.0, 25.0)
        },
        |options| plot::descent_path(&quartic, &solution, options),
    )?;
    figures.both(
        "quartic_chord",
        |path| PlotOptions::new(path).x_range(-23.0, 25.0),
        |options| plot::chord(&quartic, &[-14.5], &[18.4], Some(0.5), options),
    )?;

    // The chord the convexity tester finds by itself: its worst violation.
    let report = ConvexityTest::new(Domain::interval(-23.0, 25.0))
        .seed(0)
        .run(&quartic)?;
    if let Some(witness) = &report.worst {
        println!("worst convexity witness on the quartic: {witness}");
    }
    figures.both(
        "quartic_witness",
        |path| PlotOptions::new(path).x_range(-23.0, 25.0),
        |options| plot::convexity_witness(&quartic, &report, options),
    )?;
    Ok(())
}

/// Fits tip ≈ θ₀ + θ₁ · (total_bill / 10) under MSE by batch descent and by stochastic
/// descent (batch size 1, seeded) from θ = (0, 0), and draws both paths over the loss
/// contours.
///
/// The bill is in tens of dollars so that the Hessian's condition number is about 40: in
/// dollars it is about 4000, and both paths would crawl along a valley too thin to see.
fn contour(figures: &Figures<'_>) -> Result<(), Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tips.csv");
    let raw = Dataset::from_csv(&path, "tip", &["total_bill"])?;
    let tens = raw.features().mapv(|bill| bill / 10.0);
    let data = Dataset::new(tens, raw.targets().to_vec().into())?;
    let mse = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data)?;
    let batch = GradientDescent::new()
        .learning_rate(0.1)
        .gradient_tolerance(1e-4)
        .max_iterations(5_000)
        .record_trace(true)
        .minimize(&mse, &[0.0, 0.0])?;
    let stochastic = Sgd::new()
        .batch_size(1)
        .learning_rate(LearningRate::InverseTime {
            initial: 0.02,
            decay: 0.01,
        })
        .max_epochs(4)
        .seed(0)
        .record_trace(true)
        .minimize(&mse, &[0.0, 0.0])?;
    println!(
        "linear model: batch θ = {:?} after {} steps ({}); stochastic θ = {:?} after {} steps ({})",
        batch.theta,
        batch.iterations,
        batch.termination,
        stochastic.theta,
        stochastic.iterations,
        stochastic.termination
    );
    figures.both(
        "linear_contour",
        |path| {
            PlotOptions::new(path)
                .size(900, 650)
                .title("MSE of tip ≈ θ₀ + θ₁ · total_bill / 10")
                .x_label("θ₀, intercept ($)")
                .y_label("θ₁, tip per $10 of bill ($)")
        },
        |options| {
            plot::contour(
                &mse,
                &[
                    ("batch GD, α = 0.1", &batch),
                    ("SGD, batch size 1, α = 0.02 / (1 + k / 100)", &stochastic),
                ],
                options,
            )
        },
    )?;
    Ok(())
}
