//! Checks of the properties that optimizers rely on: gradient checks (finite differences,
//! per-coordinate reports and three-way comparisons) and the convexity tester in
//! [`convexity`].
//!
//! Dual numbers give exact derivatives of the code as written. These checks answer the
//! questions left: whether the code computes the function you meant (a hand-written
//! gradient, a loss with a type-dependent path), whether θ sits on a kink, and whether a
//! numerical estimate is precise enough to tell.
//!
//! * [`check_gradient`] and [`GradientCheck`]: each coordinate's dual derivative against a
//!   [`FiniteDifference`] estimate with its error bound, with a [`Verdict`] per coordinate
//!   (pass, fail, non-differentiable, finite difference unreliable, NaN). The report
//!   prints as an aligned table with a summary.
//! * [`compare_gradients`]: a hand-written gradient, the dual gradient and finite
//!   differences side by side, naming the odd one out.
//! * [`check_hessian`]: each entry of the hyper-dual Hessian against finite differences of
//!   the exact gradient, and the symmetry residual of the estimate.
//! * [`TaylorTest`] and [`taylor_test`]: the step-free check; the remainder
//!   |f(θ + h·d) − f(θ) − h·g·d| must fall with slope 2 on a log–log sweep of h.
//! * [`check_consistency`]: f(θ) with `f64` against the real part with every dual type.
//! * [`attribute_nan`]: NaN gradient entries recomputed one coordinate at a time.
//! * [`assert_gradient_close!`](crate::assert_gradient_close) and
//!   [`assert_hessian_close!`](crate::assert_hessian_close) for test suites.
//!
//! ```
//! use dualopt::prelude::*;
//!
//! // MAE at θ equal to a data point is a kink: slopes −0.2 and +0.2.
//! let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 7.0, 11.0])?;
//! let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data)?;
//! let report = check_gradient(&mae, &[4.0], FiniteDifference::central())?;
//! assert!(matches!(report.coordinates[0].verdict, Verdict::NonDifferentiable(_)));
//! println!("{report}");
//! # Ok::<(), dualopt::Error>(())
//! ```
//!
//! # Limitations
//!
//! * The rounding part of every error bound is the larger of [`NOISE_ULPS`] units of
//!   ε·|f| and the noise measured by a probe of nine points within about 10⁻⁹ · max(|θᵢ|, 1)
//!   of θᵢ. Noise that only shows over larger distances escapes the probe; the measured
//!   truncation part then catches much of it, but not all.
//! * Kinks are found at θᵢ itself. A kink closer to θᵢ than about 2⁻¹⁶ · max(|θᵢ|, 1)
//!   spoils every one-sided table on its side, and the verdict is then
//!   [`Verdict::Unreliable`] or, when the other side cannot confirm the exact value,
//!   [`Verdict::Fail`].
//! * Each check works one coordinate at a time. A gradient check of d parameters costs
//!   about 30·d evaluations of f: 8 for the noise probe, 20 for the kink detector's tables
//!   and up to 4 for the scheme. A Hessian check costs about 30·d gradients.

mod assert;
mod compare;
mod consistency;
pub mod convexity;
mod finite_diff;
mod gradient_check;
mod gradient_report;
mod hessian_check;
mod line;
mod nan;
mod richardson;
mod table;
mod taylor;
mod verdict;

#[doc(hidden)]
pub use assert::{assert_gradient_close_at, assert_gradients_agree_at, assert_hessian_close_at};
pub use compare::{Agreement, ComparisonReport, CoordinateComparison, Source, compare_gradients};
pub use consistency::{
    ConsistencyReport, DEFAULT_MAX_ULPS, TypeValue, check_consistency, check_consistency_within,
};
pub use convexity::{
    Chord, ConvexityReport, ConvexityTest, ConvexityTolerance, ConvexityVerdict, Domain,
    PointSampler, ViolationKind, Witness,
};
pub use finite_diff::{Estimate, FiniteDifference, HessianEstimate, Scheme, Step};
pub use gradient_check::{GradientCheck, check_gradient, default_tolerance};
pub use gradient_report::{CoordinateCheck, Counts, GradientReport};
pub use hessian_check::{EntryCheck, HessianReport, check_hessian};
pub use line::{NOISE_SIGMAS, NOISE_ULPS};
pub use nan::{NanCause, NanEntry, NanReport, attribute_nan};
pub use richardson::RICHARDSON_LEVELS;
pub use taylor::{TaylorPoint, TaylorReport, TaylorTest, TaylorVerdict, taylor_test};
pub use verdict::{DEFAULT_ROUNDING_MULTIPLE, Kink, KinkOrder, Tolerance, Verdict};
