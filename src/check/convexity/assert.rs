//! `assert_convex!` and `assert_not_convex!`, and the functions they call.

use super::{ConvexityReport, ConvexityTest, ConvexityVerdict};
use crate::objective::Objective;
use std::fmt;

/// Asserts that a convexity test finds no violation, and returns its report.
///
/// The first argument is the objective, the second a [`Domain`](crate::Domain) (tested
/// with the default settings) or a configured [`ConvexityTest`](crate::ConvexityTest).
/// Optional further arguments are a format string and its values, printed before the
/// report. It panics with the full report when a chord violates convexity, and with the
/// error when the test cannot run. Either panic points at the line of the macro call.
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0])?;
/// let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data)?;
/// let report = assert_convex!(risk, Domain::interval(0.0, 30.0));
/// assert_eq!(report.chords, 1000);
/// assert_convex!(risk, ConvexityTest::new(Domain::interval(0.0, 30.0)).seed(3), "Huber");
/// # Ok::<(), dualopt::Error>(())
/// ```
#[macro_export]
macro_rules! assert_convex {
    ($objective:expr, $test:expr $(,)?) => {
        $crate::check::convexity::__assert_convex(
            &$objective,
            $test,
            ::core::option::Option::None,
        )
    };
    ($objective:expr, $test:expr, $($message:tt)+) => {
        $crate::check::convexity::__assert_convex(
            &$objective,
            $test,
            ::core::option::Option::Some(::core::format_args!($($message)+)),
        )
    };
}

/// Asserts that a convexity test finds a violation, and returns its report.
///
/// Takes the same arguments as [`assert_convex!`]. It panics with the full report when no
/// chord violates convexity, and with the error when the test cannot run. Either panic
/// points at the line of the macro call.
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![0.0])?;
/// let risk = EmpiricalRisk::new(Constant, Quartic, &data)?;
/// let report = assert_not_convex!(risk, Domain::interval(-23.0, 25.0));
/// assert!(report.shrunk.is_some());
/// # Ok::<(), dualopt::Error>(())
/// ```
#[macro_export]
macro_rules! assert_not_convex {
    ($objective:expr, $test:expr $(,)?) => {
        $crate::check::convexity::__assert_not_convex(
            &$objective,
            $test,
            ::core::option::Option::None,
        )
    };
    ($objective:expr, $test:expr, $($message:tt)+) => {
        $crate::check::convexity::__assert_not_convex(
            &$objective,
            $test,
            ::core::option::Option::Some(::core::format_args!($($message)+)),
        )
    };
}

/// Runs `test` on `objective` and panics, at the caller's line, unless no violation is
/// found. Called by [`assert_convex!`].
#[doc(hidden)]
#[track_caller]
pub fn __assert_convex<O: Objective>(
    objective: &O,
    test: impl Into<ConvexityTest>,
    message: Option<fmt::Arguments<'_>>,
) -> ConvexityReport {
    expect_verdict(
        objective,
        test.into(),
        ConvexityVerdict::NoViolationFound,
        message,
        "assert_convex!",
    )
}

/// Runs `test` on `objective` and panics, at the caller's line, unless a violation is
/// found. Called by [`assert_not_convex!`].
#[doc(hidden)]
#[track_caller]
pub fn __assert_not_convex<O: Objective>(
    objective: &O,
    test: impl Into<ConvexityTest>,
    message: Option<fmt::Arguments<'_>>,
) -> ConvexityReport {
    expect_verdict(
        objective,
        test.into(),
        ConvexityVerdict::Violated,
        message,
        "assert_not_convex!",
    )
}

#[track_caller]
fn expect_verdict<O: Objective>(
    objective: &O,
    test: ConvexityTest,
    expected: ConvexityVerdict,
    message: Option<fmt::Arguments<'_>>,
    name: &str,
) -> ConvexityReport {
    let context = message.map(|m| format!(": {m}")).unwrap_or_default();
    let report = match test.run(objective) {
        Ok(report) => report,
        Err(error) => panic!("{name} failed{context}\nthe convexity test could not run: {error}"),
    };
    if report.verdict != expected {
        let reason = match expected {
            ConvexityVerdict::NoViolationFound => "a chord violates convexity",
            ConvexityVerdict::Violated => "no chord violates convexity",
        };
        panic!("{name} failed{context}\n{reason}\n{report}");
    }
    report
}
