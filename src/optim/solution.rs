//! The result of a run: [`Solution`], its [`Termination`] reason, counters and [`Trace`].

use std::fmt;

/// The result of a minimization run.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The parameters returned.
    pub theta: Vec<f64>,
    /// The objective at `theta`.
    pub loss: f64,
    /// Euclidean norm of the exact gradient at `theta`.
    pub gradient_norm: f64,
    /// Number of steps taken (grid points tried, for a grid search).
    pub iterations: usize,
    /// How often the objective and its derivatives were evaluated.
    pub evaluations: Evaluations,
    /// The reason the run stopped.
    pub termination: Termination,
    /// Every iterate, when the run was asked to record them.
    pub trace: Option<Trace>,
}

/// Evaluation counters of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluations {
    /// Objective values computed with `f64` alone.
    pub value: usize,
    /// Full-objective value-and-gradient evaluations.
    pub gradient: usize,
    /// Per-row gradient evaluations by stochastic methods: a mini-batch of k rows counts k.
    pub row_gradient: usize,
    /// Exact Hessian evaluations.
    pub hessian: usize,
}

/// The reason a run stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Termination {
    /// The step ‖θₖ₊₁ − θₖ‖∞ fell below the tolerance; the new θ is returned.
    StepTolerance {
        /// Size of the last step (max-norm).
        step: f64,
        /// The tolerance.
        tolerance: f64,
    },
    /// The gradient norm ‖∇f(θ)‖₂ fell to or below the tolerance.
    GradientTolerance {
        /// The gradient norm reached.
        gradient_norm: f64,
        /// The tolerance.
        tolerance: f64,
    },
    /// The relative change of the loss between two iterations fell to or below the tolerance.
    LossChange {
        /// |fₖ − fₖ₋₁| / max(|fₖ|, |fₖ₋₁|).
        relative_change: f64,
        /// The tolerance.
        tolerance: f64,
    },
    /// The iteration limit was reached before any tolerance was met.
    MaxIterations {
        /// The limit.
        max_iterations: usize,
    },
    /// A stochastic run completed its maximum number of epochs.
    MaxEpochs {
        /// The limit.
        epochs: usize,
    },
    /// A stochastic run went this many epochs without a new lowest full loss.
    Patience {
        /// The patience, in epochs.
        epochs: usize,
    },
    /// A grid search evaluated every grid point.
    GridExhausted {
        /// Number of points evaluated.
        points: usize,
    },
}

impl Termination {
    /// Returns true when a tolerance was met (or, for a grid search, every point was tried).
    ///
    /// False for the iteration and epoch limits and for patience, which stop a run
    /// without any sign that it reached a minimizer.
    pub fn converged(&self) -> bool {
        !matches!(
            self,
            Termination::MaxIterations { .. }
                | Termination::MaxEpochs { .. }
                | Termination::Patience { .. }
        )
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Termination::StepTolerance { step, tolerance } => {
                write!(
                    f,
                    "converged: step {step:.3e} below tolerance {tolerance:.3e}"
                )
            }
            Termination::GradientTolerance {
                gradient_norm,
                tolerance,
            } => write!(
                f,
                "converged: gradient norm {gradient_norm:.3e} at most tolerance {tolerance:.3e}"
            ),
            Termination::LossChange {
                relative_change,
                tolerance,
            } => write!(
                f,
                "converged: relative loss change {relative_change:.3e} at most tolerance \
                 {tolerance:.3e}"
            ),
            Termination::MaxIterations { max_iterations } => write!(
                f,
                "not converged: reached the limit of {max_iterations} iterations"
            ),
            Termination::MaxEpochs { epochs } => {
                write!(f, "not converged: reached the limit of {epochs} epochs")
            }
            Termination::Patience { epochs } => {
                write!(f, "stopped early: no new lowest loss in {epochs} epochs")
            }
            Termination::GridExhausted { points } => {
                write!(f, "evaluated all {points} grid points")
            }
        }
    }
}

/// One iterate as observers see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iterate<'a> {
    /// Iteration number; 0 is the starting point.
    pub iteration: usize,
    /// Parameters at this iterate.
    pub theta: &'a [f64],
    /// Objective at `theta` (for stochastic methods, the mini-batch loss).
    pub loss: f64,
    /// Gradient norm at `theta` (for stochastic methods, of the mini-batch gradient).
    pub gradient_norm: f64,
    /// Learning rate used for the step taken from `theta`; NaN for the returned point.
    pub learning_rate: f64,
}

/// The recorded iterates of a run, stored column by column.
///
/// Entry `i` contains the parameters, loss and gradient norm before step `i`. The last entry
/// is the returned point, whose learning rate is NaN because no step leaves it. Two traces
/// are equal when every value is the same bit for bit, NaN included, so identical runs
/// compare equal.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    dim: usize,
    iterations: Vec<usize>,
    thetas: Vec<f64>,
    losses: Vec<f64>,
    gradient_norms: Vec<f64>,
    learning_rates: Vec<f64>,
}

impl PartialEq for Trace {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
        };
        self.dim == other.dim
            && self.iterations == other.iterations
            && same(&self.thetas, &other.thetas)
            && same(&self.losses, &other.losses)
            && same(&self.gradient_norms, &other.gradient_norms)
            && same(&self.learning_rates, &other.learning_rates)
    }
}

impl Trace {
    pub(crate) fn new(dim: usize) -> Self {
        Self {
            dim,
            ..Self::default()
        }
    }

    pub(crate) fn push(&mut self, iterate: &Iterate<'_>) {
        self.iterations.push(iterate.iteration);
        self.thetas.extend_from_slice(iterate.theta);
        self.losses.push(iterate.loss);
        self.gradient_norms.push(iterate.gradient_norm);
        self.learning_rates.push(iterate.learning_rate);
    }

    /// Number of recorded iterates.
    pub fn len(&self) -> usize {
        self.losses.len()
    }

    /// Returns true when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.losses.is_empty()
    }

    /// The recorded iterate `i`.
    ///
    /// # Panics
    ///
    /// When `i >= len()`, like slice indexing.
    pub fn get(&self, i: usize) -> Iterate<'_> {
        Iterate {
            iteration: self.iterations[i],
            theta: &self.thetas[i * self.dim..(i + 1) * self.dim],
            loss: self.losses[i],
            gradient_norm: self.gradient_norms[i],
            learning_rate: self.learning_rates[i],
        }
    }

    /// All recorded iterates, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Iterate<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The recorded losses, in order.
    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    /// The recorded gradient norms, in order.
    pub fn gradient_norms(&self) -> &[f64] {
        &self.gradient_norms
    }
}
