//! Exact derivatives from dual numbers.
//!
//! Gradients use forward mode with vector dual numbers of a fixed width: a function of d
//! parameters is evaluated ⌈d / N⌉ times, each pass carrying N partial derivatives, with
//! N = 1, 2, 4 or 8 chosen from d (ForwardDiff.jl's chunk mode). Every dual is `Copy`
//! and sized at compile time, so arithmetic never allocates. Hessians use vector hyper-dual
//! numbers in 4 × 4 blocks of the upper triangle, mirrored.

use crate::error::{Result, check_finite, check_len};
use crate::objective::Objective;
use crate::scalar::Scalar;
use ndarray::Array2;
use num_dual::{Dual2_64, Dual64, DualSVec64, HyperDualSVec64};

/// A function of a parameter slice that can be evaluated with any [`Scalar`].
///
/// The crate uses it to differentiate things that are not whole objectives, such as an
/// objective restricted to a mini-batch.
pub(crate) trait ScalarFn {
    fn call<S: Scalar>(&self, x: &[S]) -> S;
}

struct ObjectiveFn<'a, O>(&'a O);

impl<O: Objective> ScalarFn for ObjectiveFn<'_, O> {
    fn call<S: Scalar>(&self, x: &[S]) -> S {
        self.0.eval(x)
    }
}

/// Evaluates `objective` at `theta` and returns the value with its exact gradient.
///
/// Uses the objective's own [`Objective::value_and_gradient`], so an [`EmpiricalRisk`]
/// applies the chain rule at the model/loss boundary.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) when `theta` does not have
/// `objective.dim()` entries, [`Error::NonFinite`](crate::Error::NonFinite) when an entry
/// is NaN or infinite.
///
/// [`EmpiricalRisk`]: crate::EmpiricalRisk
pub fn value_and_gradient<O: Objective>(objective: &O, theta: &[f64]) -> Result<(f64, Vec<f64>)> {
    check_len("theta", objective.dim(), theta.len())?;
    check_finite("theta", theta)?;
    let mut grad = vec![0.0; objective.dim()];
    let value = objective.value_and_gradient(theta, &mut grad)?;
    Ok((value, grad))
}

/// Returns the exact gradient of `objective` at `theta`.
///
/// # Errors
///
/// As [`value_and_gradient`].
pub fn gradient<O: Objective>(objective: &O, theta: &[f64]) -> Result<Vec<f64>> {
    value_and_gradient(objective, theta).map(|(_, g)| g)
}

/// Evaluates `objective` at `theta` with `f64`.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) for a wrong `theta` length,
/// [`Error::NonFinite`](crate::Error::NonFinite) for a NaN or infinite entry.
pub fn value<O: Objective>(objective: &O, theta: &[f64]) -> Result<f64> {
    check_len("theta", objective.dim(), theta.len())?;
    check_finite("theta", theta)?;
    Ok(objective.eval(theta))
}

/// Returns the value, gradient and exact Hessian of `objective` at `theta`.
///
/// The Hessian ∇²f has entries ∂²f/∂θᵢ∂θⱼ and is symmetric by construction: only blocks of
/// the upper triangle are computed and the lower triangle is mirrored.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) for a wrong `theta` length,
/// [`Error::NonFinite`](crate::Error::NonFinite) for a NaN or infinite entry.
pub fn hessian<O: Objective>(objective: &O, theta: &[f64]) -> Result<(f64, Vec<f64>, Array2<f64>)> {
    check_len("theta", objective.dim(), theta.len())?;
    check_finite("theta", theta)?;
    let f = ObjectiveFn(objective);
    Ok(match theta.len() {
        0 => (objective.eval(theta), Vec::new(), Array2::zeros((0, 0))),
        1 => hessian_blocks::<_, 1>(&f, theta),
        2 => hessian_blocks::<_, 2>(&f, theta),
        _ => hessian_blocks::<_, 4>(&f, theta),
    })
}

/// Returns φ(0) and φ′(0) for φ(s) = f(θ + s·d), in one dual pass.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) when `theta` or `direction`
/// does not have `objective.dim()` entries, [`Error::NonFinite`](crate::Error::NonFinite)
/// for a NaN or infinite entry.
pub fn directional_derivative<O: Objective>(
    objective: &O,
    theta: &[f64],
    direction: &[f64],
) -> Result<(f64, f64)> {
    check_len("theta", objective.dim(), theta.len())?;
    check_len("direction", objective.dim(), direction.len())?;
    check_finite("theta", theta)?;
    check_finite("direction", direction)?;
    let x: Vec<Dual64> = theta
        .iter()
        .zip(direction)
        .map(|(&t, &d)| Dual64::new(t, d))
        .collect();
    let f = objective.eval(&x);
    Ok((f.re, f.eps))
}

/// Returns φ(0), φ′(0) and φ″(0) for φ(s) = f(θ + s·d), in one second-order dual pass.
///
/// φ″(0) = dᵀ ∇²f(θ) d, the curvature of f along d, without forming the Hessian.
///
/// # Errors
///
/// As [`directional_derivative`].
pub fn second_directional_derivative<O: Objective>(
    objective: &O,
    theta: &[f64],
    direction: &[f64],
) -> Result<(f64, f64, f64)> {
    check_len("theta", objective.dim(), theta.len())?;
    check_len("direction", objective.dim(), direction.len())?;
    check_finite("theta", theta)?;
    check_finite("direction", direction)?;
    let x: Vec<Dual2_64> = theta
        .iter()
        .zip(direction)
        .map(|(&t, &d)| Dual2_64::new(t, d, 0.0))
        .collect();
    let f = objective.eval(&x);
    Ok((f.re, f.v1, f.v2))
}

/// Computes the provided [`Objective::value_and_gradient`]: `eval` with chunked vector duals.
pub(crate) fn forward_value_and_gradient<O: Objective>(
    objective: &O,
    theta: &[f64],
    grad_out: &mut [f64],
) -> f64 {
    forward_with(theta, grad_out, &ObjectiveFn(objective))
}

/// Value and gradient of `f` at `theta` by forward mode; lengths are checked by the caller.
pub(crate) fn forward_with<F: ScalarFn>(theta: &[f64], grad_out: &mut [f64], f: &F) -> f64 {
    match theta.len() {
        0 => f.call::<f64>(&[]),
        1 => {
            let y = f.call(&[Dual64::new(theta[0], 1.0)]);
            grad_out[0] = y.eps;
            y.re
        }
        2 => chunked::<F, 2>(theta, grad_out, f),
        3 | 4 => chunked::<F, 4>(theta, grad_out, f),
        _ => chunked::<F, 8>(theta, grad_out, f),
    }
}

/// Parameter count up to which forward mode keeps its duals on the stack.
const STACK_PARAMS: usize = 64;

/// Forward mode in passes of `N` partial derivatives each.
fn chunked<F: ScalarFn, const N: usize>(theta: &[f64], grad_out: &mut [f64], f: &F) -> f64 {
    let d = theta.len();
    // Up to 64 parameters fit on the stack, so a gradient evaluation allocates nothing.
    // Larger problems use one heap buffer per call (never one per operation).
    let mut stack = [DualSVec64::<N>::from_re(0.0); STACK_PARAMS];
    let mut heap;
    let x: &mut [DualSVec64<N>] = if d <= stack.len() {
        &mut stack[..d]
    } else {
        heap = vec![DualSVec64::<N>::from_re(0.0); d];
        &mut heap
    };
    for (xi, &t) in x.iter_mut().zip(theta) {
        *xi = DualSVec64::from_re(t);
    }

    let mut value = f64::NAN;
    for start in (0..d).step_by(N) {
        let end = (start + N).min(d);
        for i in start..end {
            x[i] = DualSVec64::from_re(theta[i]).derivative(i - start);
        }

        let y = f.call(x);
        value = y.re;
        match y.eps.0 {
            Some(g) => grad_out[start..end].copy_from_slice(&g.as_slice()[..end - start]),
            None => grad_out[start..end].fill(0.0),
        }

        for i in start..end {
            x[i] = DualSVec64::from_re(theta[i]);
        }
    }
    value
}

/// Hessian in `C` × `C` blocks of the upper triangle with vector hyper-dual numbers.
fn hessian_blocks<F: ScalarFn, const C: usize>(
    f: &F,
    theta: &[f64],
) -> (f64, Vec<f64>, Array2<f64>) {
    let d = theta.len();
    let mut x = vec![HyperDualSVec64::<C, C>::from_re(0.0); d];
    let mut grad = vec![0.0; d];
    let mut hess = Array2::zeros((d, d));
    let mut value = f64::NAN;

    for bi in (0..d).step_by(C) {
        for bj in (bi..d).step_by(C) {
            for (xk, &t) in x.iter_mut().zip(theta) {
                *xk = HyperDualSVec64::from_re(t);
            }
            let block_i = bi..(bi + C).min(d);
            let block_j = bj..(bj + C).min(d);
            for (a, xi) in x[block_i.clone()].iter_mut().enumerate() {
                *xi = xi.derivative1(a);
            }
            for (b, xj) in x[block_j.clone()].iter_mut().enumerate() {
                *xj = xj.derivative2(b);
            }

            let y = f.call(&x);
            value = y.re;
            if bi == bj
                && let Some(g) = y.eps1.0
            {
                for i in block_i.clone() {
                    grad[i] = g[i - bi];
                }
            }
            if let Some(h) = y.eps1eps2.0 {
                for i in block_i {
                    for j in block_j.clone() {
                        if j < i {
                            // The diagonal block's lower half is the mirror of its upper half.
                            continue;
                        }
                        hess[(i, j)] = h[(i - bi, j - bj)];
                        hess[(j, i)] = h[(i - bi, j - bj)];
                    }
                }
            }
        }
    }
    (value, grad, hess)
}
