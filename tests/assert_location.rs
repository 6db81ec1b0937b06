//! The assertion macros report the caller's line, not a line inside dualopt.
//!
//! This file contains a single test because it installs a process-wide panic hook.

use dualopt::prelude::*;
use std::panic;
use std::sync::{Arc, Mutex};

/// f(x) = x² with the derivative part dropped, so its dual gradient (x) is wrong.
struct DroppedDerivative;

impl Objective for DroppedDerivative {
    fn dim(&self) -> usize {
        1
    }

    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        t[0] * S::from(t[0].re())
    }
}

#[test]
fn assert_macros_point_at_caller() {
    let location = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&location);
    panic::set_hook(Box::new(move |info| {
        *seen.lock().unwrap() = info.location().map(|l| (l.file().to_owned(), l.line()));
    }));

    let gradient_line = line!() + 1;
    let gradient = panic::catch_unwind(|| assert_gradient_close!(DroppedDerivative, [3.0]));
    let gradient_location = location.lock().unwrap().take();

    let hessian_line = line!() + 1;
    let hessian = panic::catch_unwind(|| assert_hessian_close!(DroppedDerivative, [3.0]));
    let hessian_location = location.lock().unwrap().take();

    drop(panic::take_hook());
    assert!(gradient.is_err());
    assert_eq!(gradient_location, Some((file!().to_owned(), gradient_line)));
    assert!(hessian.is_err());
    assert_eq!(hessian_location, Some((file!().to_owned(), hessian_line)));
}
