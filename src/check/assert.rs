//! Assertion macros for users' test suites.
//!
//! The macros call `#[track_caller]` functions, so a failure points at the line of the
//! macro call, and the panic message carries the whole report.

use super::gradient_check::GradientCheck;
use crate::objective::Objective;

/// Asserts that the dual-number gradient of an objective passes a gradient check.
///
/// Forms:
///
/// * `assert_gradient_close!(objective, theta)`: central differences, default tolerance;
/// * `assert_gradient_close!(objective, theta, check)`: `check` is a
///   [`GradientCheck`](crate::GradientCheck) or a
///   [`FiniteDifference`](crate::FiniteDifference);
/// * `assert_gradient_close!(objective, theta, analytic = f)` and
///   `assert_gradient_close!(objective, theta, check, analytic = f)`: also compares the
///   hand-written gradient `f: Fn(&[f64]) -> Vec<f64>` three ways.
///
/// `theta` is anything that is `AsRef<[f64]>`. The assertion holds when every coordinate
/// passes or is non-differentiable (a kink). A failure, a NaN or an estimate too rough to
/// judge panics with the report, and so does an error such as a wrong `theta` length.
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
/// let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data)?;
/// assert_gradient_close!(huber, [14.5]);
/// assert_gradient_close!(huber, [14.5], FiniteDifference::richardson());
/// # Ok::<(), dualopt::Error>(())
/// ```
#[macro_export]
macro_rules! assert_gradient_close {
    ($objective:expr, $theta:expr $(,)?) => {
        $crate::check::assert_gradient_close_at(
            &$objective,
            &$theta,
            $crate::GradientCheck::default(),
        )
    };
    ($objective:expr, $theta:expr, analytic = $analytic:expr $(,)?) => {
        $crate::check::assert_gradients_agree_at(
            &$objective,
            &$theta,
            $crate::GradientCheck::default(),
            $analytic,
        )
    };
    ($objective:expr, $theta:expr, $check:expr, analytic = $analytic:expr $(,)?) => {
        $crate::check::assert_gradients_agree_at(&$objective, &$theta, $check, $analytic)
    };
    ($objective:expr, $theta:expr, $check:expr $(,)?) => {
        $crate::check::assert_gradient_close_at(&$objective, &$theta, $check)
    };
}

/// Asserts that the hyper-dual Hessian of an objective passes a Hessian check.
///
/// Forms: `assert_hessian_close!(objective, theta)` (central differences of the exact
/// gradient) and `assert_hessian_close!(objective, theta, check)` with a
/// [`GradientCheck`](crate::GradientCheck) or a [`FiniteDifference`](crate::FiniteDifference).
/// The assertion holds when every entry passes or jumps and the finite-difference Hessian
/// is symmetric within its error bounds; otherwise it panics with the report.
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
/// let log_cosh = EmpiricalRisk::new(Constant, LogCosh, &data)?;
/// assert_hessian_close!(log_cosh, [13.0]);
/// # Ok::<(), dualopt::Error>(())
/// ```
#[macro_export]
macro_rules! assert_hessian_close {
    ($objective:expr, $theta:expr $(,)?) => {
        $crate::check::assert_hessian_close_at(
            &$objective,
            &$theta,
            $crate::GradientCheck::default(),
        )
    };
    ($objective:expr, $theta:expr, $check:expr $(,)?) => {
        $crate::check::assert_hessian_close_at(&$objective, &$theta, $check)
    };
}

/// Runs a gradient check and panics with the report unless it is acceptable; the
/// implementation of [`assert_gradient_close!`](crate::assert_gradient_close).
#[doc(hidden)]
#[track_caller]
pub fn assert_gradient_close_at<O, T>(objective: &O, theta: &T, check: impl Into<GradientCheck>)
where
    O: Objective,
    T: AsRef<[f64]> + ?Sized,
{
    let theta = theta.as_ref();
    match check.into().run(objective, theta) {
        Ok(report) if report.is_ok() => {}
        Ok(report) => panic!(
            "gradient check failed at θ = {theta:?} ({})\n{report}",
            report.counts()
        ),
        Err(error) => panic!("gradient check could not run at θ = {theta:?}: {error}"),
    }
}

/// Runs a three-way comparison and panics with the report unless every entry agrees; the
/// implementation of the `analytic =` forms of
/// [`assert_gradient_close!`](crate::assert_gradient_close).
#[doc(hidden)]
#[track_caller]
pub fn assert_gradients_agree_at<O, T, F>(
    objective: &O,
    theta: &T,
    check: impl Into<GradientCheck>,
    analytic: F,
) where
    O: Objective,
    T: AsRef<[f64]> + ?Sized,
    F: Fn(&[f64]) -> Vec<f64>,
{
    let theta = theta.as_ref();
    match check.into().compare(objective, theta, analytic) {
        Ok(report) if report.is_ok() => {}
        Ok(report) => panic!("gradients disagree at θ = {theta:?}\n{report}"),
        Err(error) => panic!("gradient comparison could not run at θ = {theta:?}: {error}"),
    }
}

/// Runs a Hessian check and panics with the report unless it is acceptable; the
/// implementation of [`assert_hessian_close!`](crate::assert_hessian_close).
#[doc(hidden)]
#[track_caller]
pub fn assert_hessian_close_at<O, T>(objective: &O, theta: &T, check: impl Into<GradientCheck>)
where
    O: Objective,
    T: AsRef<[f64]> + ?Sized,
{
    let theta = theta.as_ref();
    match check.into().run_hessian(objective, theta) {
        Ok(report) if report.is_ok() => {}
        Ok(report) => panic!(
            "Hessian check failed at θ = {theta:?} ({})\n{report}",
            report.counts()
        ),
        Err(error) => panic!("Hessian check could not run at θ = {theta:?}: {error}"),
    }
}
