//! Observers watch a run's iterates; the library itself never prints.

use crate::optim::solution::Iterate;
use std::io::Write;

/// Receives iterates during a run.
///
/// Implement it to log, plot or collect iterates. An observer cannot change the run.
pub trait Observer {
    /// Called with each iterate that the observer's [`ObserverMode`] selects.
    fn observe(&mut self, iterate: &Iterate<'_>);
}

impl<F: FnMut(&Iterate<'_>)> Observer for F {
    fn observe(&mut self, iterate: &Iterate<'_>) {
        self(iterate)
    }
}

/// The selection of iterates that reach an observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObserverMode {
    /// None: the observer stays attached but is never called.
    Never,
    /// Every iterate.
    #[default]
    Always,
    /// Iterates 0, n, 2n, …; `Every(0)` is rejected when the run starts.
    Every(usize),
    /// Iterates whose loss is lower than every earlier one.
    NewBest,
}

/// An observer with its mode, and the state the mode needs.
pub(crate) struct Attached<'a> {
    observer: Box<dyn Observer + 'a>,
    mode: ObserverMode,
    best: f64,
}

impl<'a> Attached<'a> {
    pub(crate) fn new(observer: impl Observer + 'a, mode: ObserverMode) -> Self {
        Self {
            observer: Box::new(observer),
            mode,
            best: f64::INFINITY,
        }
    }

    pub(crate) fn mode(&self) -> ObserverMode {
        self.mode
    }

    pub(crate) fn offer(&mut self, iterate: &Iterate<'_>) {
        let selected = match self.mode {
            ObserverMode::Never => false,
            ObserverMode::Always => true,
            ObserverMode::Every(n) => n > 0 && iterate.iteration.is_multiple_of(n),
            ObserverMode::NewBest => iterate.loss < self.best,
        };
        self.best = self.best.min(iterate.loss);
        if selected {
            self.observer.observe(iterate);
        }
    }
}

/// Prints progress lines the textbook's way: `theta: 0.00 | loss: 218.76`.
///
/// One parameter prints as a number, several as a list: `theta: [1.00, -2.50] | loss: 3.14`.
/// Write errors (a closed pipe, say) are kept, not raised; [`Progress::error`] returns the
/// first one.
pub struct Progress<W: Write> {
    writer: W,
    error: Option<std::io::Error>,
}

impl Progress<std::io::Stdout> {
    /// Progress lines on standard output.
    pub fn stdout() -> Self {
        Self::new(std::io::stdout())
    }
}

impl<W: Write> Progress<W> {
    /// Progress lines written to `writer`.
    pub fn new(writer: W) -> Self {
        Self {
            writer,
            error: None,
        }
    }

    /// The first write error met, if any.
    pub fn error(&self) -> Option<&std::io::Error> {
        self.error.as_ref()
    }

    /// Returns the writer.
    pub fn into_inner(self) -> W {
        self.writer
    }
}

impl<W: Write> Observer for Progress<W> {
    fn observe(&mut self, iterate: &Iterate<'_>) {
        let result = match iterate.theta {
            [theta] => writeln!(self.writer, "theta: {theta:.2} | loss: {:.2}", iterate.loss),
            thetas => {
                let parts: Vec<String> = thetas.iter().map(|t| format!("{t:.2}")).collect();
                writeln!(
                    self.writer,
                    "theta: [{}] | loss: {:.2}",
                    parts.join(", "),
                    iterate.loss
                )
            }
        };
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }
}
