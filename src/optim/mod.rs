//! Minimizers: grid search and gradient descent, sharing one descent loop.

pub(crate) mod descent;
pub mod gd;
pub mod grid;
pub mod observer;
pub mod solution;
pub mod stopping;

pub use gd::GradientDescent;
pub use grid::GridSearch;
pub use observer::{Observer, ObserverMode, Progress};
pub use solution::{Evaluations, Iterate, Solution, Termination, Trace};
pub use stopping::StoppingRules;
