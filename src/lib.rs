//! # dualopt
//!
//! Write a loss once, generic over a scalar type, and get everything else from that one
//! definition: exact gradients and Hessians from dual numbers, gradient descent, grid
//! search, gradient checks and convexity tests.
//!
//! ## Quick start
//!
//! ```
//! use dualopt::prelude::*;
//!
//! /// Log-cosh written by hand: one definition serves values and derivatives.
//! struct MyLoss;
//!
//! impl Loss for MyLoss {
//!     fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
//!         (-prediction + target).cosh().ln()
//!     }
//! }
//!
//! let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
//! let risk = EmpiricalRisk::new(Constant, MyLoss, &data)?;
//! let solution = GradientDescent::new()
//!     .learning_rate(0.5)
//!     .gradient_tolerance(1e-10)
//!     .minimize(&risk, &[0.0])?;
//! assert!(solution.termination.converged());
//! assert!((solution.theta[0] - 14.78).abs() < 0.05);
//! # Ok::<(), dualopt::Error>(())
//! ```
//!
//! ## What is where
//!
//! * Writing functions: [`Scalar`], [`ScalarExt`] and [`select`] for generic code;
//!   [`Objective`] for any function of θ; [`Loss`], [`Model`] and [`EmpiricalRisk`] for a
//!   mean loss over a [`Dataset`].
//! * Built-in losses in [`losses`], models in [`models`].
//! * Exact derivatives: [`value_and_gradient`], [`gradient`], [`hessian`],
//!   [`directional_derivative`], [`second_directional_derivative`].
//! * Gradient checks in [`check`]: [`check_gradient`], [`compare_gradients`],
//!   [`check_hessian`], [`taylor_test`], [`check_consistency`], [`attribute_nan`] and the
//!   [`assert_gradient_close!`] and [`assert_hessian_close!`] macros.
//! * Minimizers: [`GridSearch`], [`GradientDescent`], [`Sgd`] (stochastic and mini-batch)
//!   and [`Newton`], all returning a [`Solution`]. The iterative ones share
//!   [`UpdateRule`]s (momentum, Nesterov, AdaGrad, RMSProp, Adam), [`LearningRate`]
//!   schedules, the [`Armijo`] line search, [`StoppingRules`], a [`DivergencePolicy`], and
//!   observers ([`Progress`] prints the textbook's progress lines).
//! * Convexity tests: [`ConvexityTest`] on a [`Domain`], [`assert_convex!`] and
//!   [`assert_not_convex!`]; see [`check::convexity`].
//! * Figures (feature `plot`, on by default): `plot` draws loss curves with a data rug,
//!   tangents, descent steps and paths, chords, histograms and contours as SVG or PNG.
//!
//! ## How derivatives are computed
//!
//! Forward mode with dual numbers from num-dual: a gradient of d parameters costs ⌈d/8⌉
//! evaluations with 8-wide vector duals, each `Copy` and allocation-free. An
//! [`EmpiricalRisk`] applies the chain rule where model meets loss, so the loss is
//! differentiated once per row with a scalar dual whatever d is, and a model that declares
//! a [`LinearStructure`] gets its gradient in O(d) per row. Every mean over data rows is
//! summed in numpy's pairwise order, which reproduces numpy's results to the last bit.
//! docs/design.md in the repository explains the design in full.
//!
//! ## Features
//!
//! * `plot` (default): the figures module, in pure Rust.
//! * `parallel`: data sums on rayon's threads, bit for bit the serial result.
//! * `proptest`: proptest strategies that state convexity as a property.
//!
//! ## Limitations
//!
//! Forward mode's cost grows with the number of parameters, so the crate targets problems
//! with up to a few hundred parameters. A model that is not linear in θ costs about d²/8
//! operations per row and gradient. Convexity tests can disprove convexity, never prove it.

#![deny(missing_docs)]

// The versions of these crates that dualopt's API uses, for callers who build datasets or
// write samplers: `dualopt::ndarray::Array2`, `dualopt::rand::RngExt`.
pub use ndarray;
pub use rand;

pub mod autodiff;
pub mod check;
pub mod data;
pub mod error;
mod linear;
pub mod losses;
pub mod models;
pub mod objective;
pub mod optim;
#[cfg(feature = "plot")]
pub mod plot;
pub mod scalar;

pub use autodiff::{
    directional_derivative, gradient, hessian, second_directional_derivative, value,
    value_and_gradient,
};
pub use check::{
    Chord, ConvexityReport, ConvexityTest, ConvexityTolerance, ConvexityVerdict, Domain,
    FiniteDifference, GradientCheck, GradientReport, PointSampler, Source, TaylorTest, Tolerance,
    Verdict, ViolationKind, Witness, attribute_nan, check_consistency, check_gradient,
    check_hessian, compare_gradients, taylor_test,
};
pub use data::Dataset;
pub use error::{Error, Result};
pub use losses::{
    AbsoluteError, Huber, LogCosh, Logistic, PseudoHuber, Quantile, Quartic, SquaredError,
};
pub use models::{Constant, Linear};
pub use objective::{
    EmpiricalRisk, FiniteSum, LinearStructure, Loss, Model, Objective, STRUCTURE_CHECK_ROWS,
};
pub use optim::{
    Armijo, DivergencePolicy, Evaluations, GradientDescent, GridSearch, Iterate, LearningRate,
    Newton, Observer, ObserverMode, Progress, Sgd, Solution, StoppingRules, Termination, Trace,
    UpdateRule,
};
pub use scalar::{Scalar, ScalarExt, pairwise_sum, pairwise_sum_by, select};

/// Re-exports for `use dualopt::prelude::*;`.
///
/// Besides the crate's types and functions, it brings in the traits that put `abs`,
/// `signum`, `sqrt`, `exp`, `ln`, `powi`, `powf`, `re`, `max` and `min` on a generic
/// [`Scalar`]: num-dual's `DualNum` and `DualStruct`, num-traits' `Signed`, and
/// [`ScalarExt`].
pub mod prelude {
    pub use crate::check::{
        Chord, ConvexityReport, ConvexityTest, ConvexityTolerance, ConvexityVerdict, Domain,
        PointSampler, ViolationKind, Witness,
    };
    pub use crate::{
        AbsoluteError, Armijo, Constant, Dataset, DivergencePolicy, EmpiricalRisk, Error,
        Evaluations, FiniteSum, GradientDescent, GridSearch, Huber, Iterate, LearningRate, Linear,
        LinearStructure, LogCosh, Logistic, Loss, Model, Newton, Objective, Observer, ObserverMode,
        Progress, PseudoHuber, Quantile, Quartic, Result, Scalar, ScalarExt, Sgd, Solution,
        SquaredError, StoppingRules, Termination, Trace, UpdateRule, directional_derivative,
        gradient, hessian, pairwise_sum, pairwise_sum_by, second_directional_derivative, select,
        value, value_and_gradient,
    };
    pub use crate::{
        FiniteDifference, GradientCheck, GradientReport, Source, TaylorTest, Tolerance, Verdict,
        attribute_nan, check_consistency, check_gradient, check_hessian, compare_gradients,
        taylor_test,
    };
    pub use crate::{assert_convex, assert_not_convex};
    pub use crate::{assert_gradient_close, assert_hessian_close};
    pub use num_dual::{DualNum, DualStruct};
    pub use num_traits::{One, Signed, Zero};
}

/// Compiles and runs the Rust snippets of README.md and docs/*.md as doc tests, so a
/// snippet that stops compiling fails `cargo test`.
#[cfg(doctest)]
mod markdown_doctests {
    #[doc = include_str!("../README.md")]
    struct Readme;

    #[doc = include_str!("../docs/losses.md")]
    struct Losses;

    #[doc = include_str!("../docs/design.md")]
    struct Design;

    #[doc = include_str!("../docs/guide.md")]
    struct Guide;

    // Its proptest snippet needs the `proptest` feature, which the test command turns on.
    #[cfg(feature = "proptest")]
    #[doc = include_str!("../docs/checking.md")]
    struct Checking;
}
