//! Minimizers: grid search, gradient descent, stochastic descent and Newton's method, the
//! iterative ones sharing one descent loop.

/// Defines the builder setters that every iterative method shares: observers, traces and
/// the divergence policy. The type needs the fields `observers`, `record_trace` and
/// `divergence`, and a lifetime `'a` for observers.
macro_rules! run_setters {
    () => {
        /// Attaches an observer that receives the iterates `mode` selects.
        #[must_use]
        pub fn observer(
            mut self,
            observer: impl crate::optim::observer::Observer + 'a,
            mode: crate::optim::observer::ObserverMode,
        ) -> Self {
            self.observers
                .push(crate::optim::observer::Attached::new(observer, mode));
            self
        }

        /// Records every iterate in [`Solution::trace`](crate::Solution::trace).
        #[must_use]
        pub fn record_trace(mut self, record: bool) -> Self {
            self.record_trace = record;
            self
        }

        /// Sets what happens when the run produces a NaN or infinity (fail by default).
        #[must_use]
        pub fn divergence(mut self, policy: crate::optim::descent::DivergencePolicy) -> Self {
            self.divergence = policy;
            self
        }
    };
}

/// Defines the setters of the learning rate and the update rule for a first-order method
/// with the fields `learning_rate` and `update`.
macro_rules! first_order_setters {
    () => {
        /// Sets the learning rate: a constant α (`0.2`) or a
        /// [`LearningRate`](crate::LearningRate) schedule over the step index. Checked when
        /// the run starts.
        #[must_use]
        pub fn learning_rate(
            mut self,
            rate: impl Into<crate::optim::schedule::LearningRate>,
        ) -> Self {
            self.learning_rate = rate.into();
            self
        }

        /// Sets the update rule (plain by default).
        #[must_use]
        pub fn update(mut self, rule: crate::optim::update::UpdateRule) -> Self {
            self.update = rule;
            self
        }
    };
}

/// Defines the setters of [`StoppingRules`] for a type with a field `stopping`.
macro_rules! stopping_setters {
    () => {
        /// Stops when a step's max-norm falls below `tolerance`; `None` turns the rule off.
        #[must_use]
        pub fn step_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
            self.stopping.step_tolerance = tolerance.into();
            self
        }

        /// Stops when the gradient norm is at most `tolerance`; `None` turns the rule off.
        #[must_use]
        pub fn gradient_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
            self.stopping.gradient_tolerance = tolerance.into();
            self
        }

        /// Stops when the relative loss change is at most `tolerance`; `None` turns it off.
        #[must_use]
        pub fn loss_change_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
            self.stopping.loss_change_tolerance = tolerance.into();
            self
        }

        /// Stops after `max_iterations` steps (at least 1).
        #[must_use]
        pub fn max_iterations(mut self, max_iterations: usize) -> Self {
            self.stopping.max_iterations = max_iterations;
            self
        }

        /// Replaces all stopping rules at once.
        #[must_use]
        pub fn stopping(mut self, rules: crate::optim::stopping::StoppingRules) -> Self {
            self.stopping = rules;
            self
        }
    };
}

pub(crate) mod descent;
pub mod gd;
pub mod grid;
pub mod line_search;
pub mod newton;
pub mod observer;
pub mod schedule;
pub mod sgd;
pub mod solution;
pub mod stopping;
pub mod update;

pub use descent::DivergencePolicy;
pub use gd::GradientDescent;
pub use grid::GridSearch;
pub use line_search::Armijo;
pub use newton::Newton;
pub use observer::{Observer, ObserverMode, Progress};
pub use schedule::LearningRate;
pub use sgd::Sgd;
pub use solution::{Evaluations, Iterate, Solution, Termination, Trace};
pub use stopping::StoppingRules;
pub use update::UpdateRule;
