//! Minimizers: grid search, gradient descent, stochastic descent and Newton's method, the
//! iterative ones sharing one descent loop.

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
