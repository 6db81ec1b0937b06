//! Stochastic and mini-batch gradient descent.

use crate::error::{Error, Result};
use crate::objective::FiniteSum;
use crate::optim::descent::{self, DivergencePolicy, LoopSettings, StepOutcome, Stepper, norm};
use crate::optim::observer::Attached;
use crate::optim::schedule::LearningRate;
use crate::optim::solution::{Evaluations, Solution, Termination};
use crate::optim::stopping::{StoppingRules, relative_change};
use crate::optim::update::{UpdateRule, UpdateState};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;

/// Stochastic (batch size 1) and mini-batch (batch size k) gradient descent.
///
/// Each epoch draws a new permutation of the rows from a ChaCha8 generator seeded with
/// [`seed`](Sgd::seed), and cuts it into batches of k rows. When k does not divide n, the
/// last batch of an epoch contains the n mod k rows left over, and its gradient is the mean
/// over those rows. It is neither dropped nor divided by k. Each step is
/// θₖ₊₁ = θₖ + Δₖ, with Δₖ from the update rule applied to the mean gradient of the batch.
///
/// Rows within a batch are evaluated in increasing order, which does not change the
/// mean but makes a batch of all n rows exactly the full-batch gradient, so k = n
/// reproduces [`GradientDescent`](crate::GradientDescent) bit for bit.
///
/// Stopping rules:
/// * per step, the textbook's |θₖ₊₁ − θₖ| < tol (max-norm), returning θₖ₊₁;
/// * per epoch, on the full objective (one full value and gradient per epoch, counted in
///   [`Evaluations::gradient`]): gradient norm, relative loss change over the epoch, and
///   patience (epochs without a new lowest loss);
/// * the epoch limit, [`Termination::MaxEpochs`].
pub struct Sgd<'a> {
    batch_size: usize,
    max_epochs: usize,
    seed: u64,
    learning_rate: LearningRate,
    update: UpdateRule,
    step_tolerance: Option<f64>,
    gradient_tolerance: Option<f64>,
    loss_change_tolerance: Option<f64>,
    patience: Option<usize>,
    divergence: DivergencePolicy,
    observers: Vec<Attached<'a>>,
    record_trace: bool,
}

impl Default for Sgd<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Sgd<'a> {
    /// Plain stochastic descent: batch size 1, learning rate 0.01, 100 epochs, seed 0, no
    /// tolerance.
    pub fn new() -> Self {
        Self {
            batch_size: 1,
            max_epochs: 100,
            seed: 0,
            learning_rate: LearningRate::Constant(0.01),
            update: UpdateRule::Plain,
            step_tolerance: None,
            gradient_tolerance: None,
            loss_change_tolerance: None,
            patience: None,
            divergence: DivergencePolicy::Fail,
            observers: Vec::new(),
            record_trace: false,
        }
    }

    /// Sets the batch size k: 1 for stochastic descent, 1 < k ≤ n for mini-batches.
    #[must_use]
    pub fn batch_size(mut self, k: usize) -> Self {
        self.batch_size = k;
        self
    }

    /// Sets the maximum number of epochs (passes over the data), at least 1.
    #[must_use]
    pub fn max_epochs(mut self, epochs: usize) -> Self {
        self.max_epochs = epochs;
        self
    }

    /// Sets the seed of the shuffling generator.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    first_order_setters!();

    /// Stops when one step's max-norm falls below `tolerance` (the textbook's rule).
    #[must_use]
    pub fn step_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.step_tolerance = tolerance.into();
        self
    }

    /// Stops at the end of an epoch when the full gradient norm is at most `tolerance`.
    #[must_use]
    pub fn gradient_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.gradient_tolerance = tolerance.into();
        self
    }

    /// Stops at the end of an epoch when the full loss changed by at most `tolerance`
    /// relative to the end of the previous epoch.
    #[must_use]
    pub fn loss_change_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.loss_change_tolerance = tolerance.into();
        self
    }

    /// Stops after `epochs` consecutive epochs without a new lowest full loss.
    #[must_use]
    pub fn patience(mut self, epochs: impl Into<Option<usize>>) -> Self {
        self.patience = epochs.into();
        self
    }

    run_setters!();

    fn check(&self, n: usize) -> Result<()> {
        if self.batch_size == 0 || self.batch_size > n {
            return Err(Error::InvalidParameter {
                name: "batch_size",
                value: self.batch_size as f64,
                expected: "must be between 1 and the number of rows",
            });
        }
        if self.max_epochs == 0 {
            return Err(Error::InvalidParameter {
                name: "max_epochs",
                value: 0.0,
                expected: "must be at least 1",
            });
        }
        if self.patience == Some(0) {
            return Err(Error::InvalidParameter {
                name: "patience",
                value: 0.0,
                expected: "must be at least 1 epoch, or None",
            });
        }
        self.learning_rate.check()?;
        self.update.check()?;
        StoppingRules {
            step_tolerance: self.step_tolerance,
            gradient_tolerance: self.gradient_tolerance,
            loss_change_tolerance: self.loss_change_tolerance,
            max_iterations: 1,
        }
        .check()
    }

    /// Minimizes the mean `objective` from `theta0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a batch size of 0 or above the row count, zero
    /// epochs, zero patience, or an invalid learning rate, update rule or tolerance. Otherwise
    /// the errors of [`GradientDescent::minimize`](crate::GradientDescent::minimize).
    pub fn minimize<O: FiniteSum>(&mut self, objective: &O, theta0: &[f64]) -> Result<Solution> {
        let n = objective.n_rows();
        self.check(n)?;
        let d = objective.dim();
        let mut stepper = Stochastic {
            objective,
            order: (0..n).collect(),
            rng: ChaCha8Rng::seed_from_u64(self.seed),
            batch_size: self.batch_size,
            batches_per_epoch: n.div_ceil(self.batch_size),
            batch: 0,
            epoch: 0,
            max_epochs: self.max_epochs,
            schedule: self.learning_rate.clone(),
            scale: 1.0,
            update: UpdateState::new(self.update, d),
            gradient: vec![0.0; d],
            full_gradient: vec![0.0; d],
            step: vec![0.0; d],
            gradient_tolerance: self.gradient_tolerance,
            loss_change_tolerance: self.loss_change_tolerance,
            patience: self.patience,
            previous_epoch_loss: None,
            best_epoch_loss: f64::INFINITY,
            epochs_without_improvement: 0,
        };
        let settings = LoopSettings {
            stopping: StoppingRules {
                step_tolerance: self.step_tolerance,
                gradient_tolerance: None,
                loss_change_tolerance: None,
                max_iterations: usize::MAX,
            },
            observers: &mut self.observers,
            record_trace: self.record_trace,
            divergence: self.divergence,
        };
        descent::run(objective, theta0, &mut stepper, settings)
    }
}

struct Stochastic<'o, O> {
    objective: &'o O,
    order: Vec<usize>,
    rng: ChaCha8Rng,
    batch_size: usize,
    batches_per_epoch: usize,
    /// Index of the next batch within the epoch.
    batch: usize,
    /// Completed epochs.
    epoch: usize,
    max_epochs: usize,
    schedule: LearningRate,
    scale: f64,
    update: UpdateState,
    gradient: Vec<f64>,
    full_gradient: Vec<f64>,
    step: Vec<f64>,
    gradient_tolerance: Option<f64>,
    loss_change_tolerance: Option<f64>,
    patience: Option<usize>,
    previous_epoch_loss: Option<f64>,
    best_epoch_loss: f64,
    epochs_without_improvement: usize,
}

impl<O: FiniteSum> Stepper for Stochastic<'_, O> {
    fn step(
        &mut self,
        iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome> {
        if self.batch == 0 {
            for (i, slot) in self.order.iter_mut().enumerate() {
                *slot = i;
            }
            self.order.shuffle(&mut self.rng);
        }
        let start = self.batch * self.batch_size;
        let end = (start + self.batch_size).min(self.order.len());
        let rows = &mut self.order[start..end];
        rows.sort_unstable();

        let loss = self
            .objective
            .value_and_gradient_rows(theta, rows, &mut self.gradient)?;
        evaluations.row_gradient += rows.len();

        let alpha = self.schedule.at(iteration)? * self.scale;
        self.update.step(&self.gradient, alpha, &mut self.step);
        for ((n, &t), &p) in next.iter_mut().zip(theta).zip(&self.step) {
            *n = t + p;
        }
        self.batch += 1;
        Ok(StepOutcome {
            loss,
            gradient_norm: norm(&self.gradient),
            learning_rate: alpha,
        })
    }

    fn after_step(
        &mut self,
        _iteration: usize,
        theta: &[f64],
        evaluations: &mut Evaluations,
    ) -> Result<Option<Termination>> {
        if self.batch < self.batches_per_epoch {
            return Ok(None);
        }
        self.batch = 0;
        self.epoch += 1;

        let needs_full_loss = self.gradient_tolerance.is_some()
            || self.loss_change_tolerance.is_some()
            || self.patience.is_some();
        if needs_full_loss {
            let loss = self
                .objective
                .value_and_gradient(theta, &mut self.full_gradient)?;
            evaluations.gradient += 1;
            if let Some(reason) = self.epoch_rules(loss) {
                return Ok(Some(reason));
            }
        }

        if self.epoch >= self.max_epochs {
            return Ok(Some(Termination::MaxEpochs { epochs: self.epoch }));
        }
        Ok(None)
    }

    fn restart(&mut self, factor: f64) {
        self.scale *= factor;
        self.update.reset();
    }
}

impl<O: FiniteSum> Stochastic<'_, O> {
    /// Applies the epoch-level rules to the full loss and gradient at the end of an epoch.
    fn epoch_rules(&mut self, loss: f64) -> Option<Termination> {
        let gradient_norm = norm(&self.full_gradient);
        if let Some(tolerance) = self.gradient_tolerance
            && gradient_norm <= tolerance
        {
            return Some(Termination::GradientTolerance {
                gradient_norm,
                tolerance,
            });
        }

        if let (Some(tolerance), Some(previous)) =
            (self.loss_change_tolerance, self.previous_epoch_loss)
        {
            let relative_change = relative_change(loss, previous);
            if relative_change <= tolerance {
                return Some(Termination::LossChange {
                    relative_change,
                    tolerance,
                });
            }
        }
        self.previous_epoch_loss = Some(loss);

        if loss < self.best_epoch_loss {
            self.best_epoch_loss = loss;
            self.epochs_without_improvement = 0;
        } else {
            self.epochs_without_improvement += 1;
        }
        match self.patience {
            Some(patience) if self.epochs_without_improvement >= patience => {
                Some(Termination::Patience { epochs: patience })
            }
            _ => None,
        }
    }
}
