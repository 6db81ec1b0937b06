//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in dualopt.
///
/// Every variant carries the offending value and, where one exists, the bound it broke, so
/// that the message alone tells the caller what to change. Library functions return this
/// type instead of panicking on bad input. Only the `assert_*!` macros panic, by design.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A collection that must hold at least one element is empty.
    #[error("{what} is empty; supply at least one {item}")]
    Empty {
        /// The empty input, for example "dataset targets".
        what: &'static str,
        /// The kind of element it needs, for example "row".
        item: &'static str,
    },

    /// A length or dimension does not match the one required.
    #[error("{what} has length {found}, but {expected} was expected")]
    DimensionMismatch {
        /// The input with the wrong length.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length supplied.
        found: usize,
    },

    /// An input value is NaN or infinite.
    #[error("{what}[{index}] is {value}; every entry must be finite")]
    NonFinite {
        /// The input that contains the value.
        what: &'static str,
        /// Position of the value in that input.
        index: usize,
        /// The value itself.
        value: f64,
    },

    /// A setting lies outside its valid range.
    #[error("invalid {name} = {value}: {expected}")]
    InvalidParameter {
        /// Name of the setting, as spelled in the API.
        name: &'static str,
        /// The value supplied.
        value: f64,
        /// The valid range, phrased as an instruction, for example "must be > 0".
        expected: &'static str,
    },

    /// A row index in a mini-batch is not a row of the dataset.
    #[error(
        "row index {index} is out of range for a dataset of {n_rows} rows; use indices below {n_rows}"
    )]
    RowOutOfRange {
        /// The index supplied.
        index: usize,
        /// Number of rows in the dataset.
        n_rows: usize,
    },

    /// A data file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// A CSV file is malformed (for example a row with the wrong number of fields).
    #[error("malformed CSV in {path} at line {line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// One-based line number, when the parser reports one.
        line: u64,
        /// The parser's description of the problem.
        message: String,
    },

    /// A requested column is not in the CSV header.
    #[error("column {column:?} not found in {path}; the header has {available:?}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column requested.
        column: String,
        /// The columns the header does contain.
        available: Vec<String>,
    },

    /// A CSV cell is not a finite number.
    #[error(
        "{path}, line {line}, column {column:?}: {text:?} is not a finite number; \
         fix or remove that row"
    )]
    InvalidCell {
        /// The file.
        path: PathBuf,
        /// One-based line number in the file (the header is line 1).
        line: u64,
        /// The column name.
        column: String,
        /// The cell's text.
        text: String,
    },

    /// A CSV file has a header but no data rows.
    #[error("{path} has a header but no data rows")]
    NoRows {
        /// The file.
        path: PathBuf,
    },

    /// A target is outside the range a loss accepts, for example a logistic target outside [0, 1].
    #[error("target {index} is {value}, but the {loss} loss needs {expected}")]
    InvalidTarget {
        /// The loss that rejected the target.
        loss: &'static str,
        /// Row of the target.
        index: usize,
        /// The target value.
        value: f64,
        /// The accepted range.
        expected: &'static str,
    },

    /// A loss, gradient or parameter became NaN or infinite during a run.
    #[error(
        "run diverged at iteration {iteration}: the {quantity} became {value}; last finite \
         parameters {last_theta:?}; lower the learning rate, use a decaying schedule or a \
         line search, or set DivergencePolicy::HalveStep"
    )]
    Diverged {
        /// Iteration at which the non-finite value appeared (0 is the starting point).
        iteration: usize,
        /// The quantity that became non-finite: "loss", "gradient" or "parameters".
        quantity: &'static str,
        /// The first non-finite value met.
        value: f64,
        /// The last parameters at which loss and gradient were finite.
        last_theta: Vec<f64>,
    },

    /// A learning-rate schedule returned a rate that is not finite and > 0.
    #[error(
        "the learning-rate schedule returned {value} at step {step}; a schedule must return \
         finite rates > 0 at every step"
    )]
    InvalidSchedule {
        /// The step index (0 is the first step).
        step: usize,
        /// The rate returned.
        value: f64,
    },

    /// The objective is NaN or infinite at a run's starting point.
    #[error(
        "the {quantity} is {value} at the starting point theta0 = {theta0:?}; start where the \
         objective and its gradient are finite"
    )]
    NonFiniteStart {
        /// The non-finite quantity: "loss" or "gradient".
        quantity: &'static str,
        /// The value met.
        value: f64,
        /// The starting point.
        theta0: Vec<f64>,
    },

    /// An objective returned NaN where a finite value was needed outside a descent run.
    #[error("the objective is {value} at theta = {theta:?}; check the domain of the loss")]
    NonFiniteObjective {
        /// The value returned.
        value: f64,
        /// The parameters at which it was evaluated.
        theta: Vec<f64>,
    },

    /// A model's declared linear structure disagrees with its prediction or the gradient of
    /// its prediction.
    #[error(
        "on row {row}, the model's declared linear structure gives {} = {declared}, but its \
         predict gives {differentiated}; fix Model::linear_structure or return None",
        match parameter { Some(j) => format!("∂ŷ/∂θ{j}"), None => "ŷ".to_owned() }
    )]
    ModelStructure {
        /// The data row checked.
        row: usize,
        /// The parameter whose derivative disagrees, or `None` for the prediction itself.
        parameter: Option<usize>,
        /// The value the declaration implies.
        declared: f64,
        /// The value from `predict`, differentiated with dual numbers for a derivative.
        differentiated: f64,
    },

    /// A box domain has a lower bound above its upper bound.
    #[error(
        "domain coordinate {index} has low = {low} > high = {high}; give low <= high, \
         for example by swapping the two bounds"
    )]
    InvalidBounds {
        /// The coordinate whose bounds are reversed.
        index: usize,
        /// Its lower bound.
        low: f64,
        /// Its upper bound.
        high: f64,
    },

    /// A figure's file name does not end in an image extension the crate writes.
    #[error("cannot choose an image format for {path}: name the file *.svg or *.png")]
    UnsupportedImageFormat {
        /// The file name given.
        path: PathBuf,
    },

    /// A plot range is not an interval of finite numbers with low < high.
    #[error("invalid {name} = ({low}, {high}): give finite bounds with low < high")]
    InvalidRange {
        /// The range's name as spelled in the API, for example "x_range".
        name: &'static str,
        /// The lower bound given.
        low: f64,
        /// The upper bound given.
        high: f64,
    },

    /// A figure needs the iterates of a run, but the solution has no trace.
    #[error(
        "the solution has no trace; call record_trace(true) on the minimizer before \
         minimize"
    )]
    MissingTrace,

    /// Drawing a figure or writing its file failed.
    #[error("cannot draw {path}: {message}")]
    Plot {
        /// The output file.
        path: PathBuf,
        /// The plotting library's description of the failure.
        message: String,
    },

    /// A figure needs a convexity witness, but the test found no violation.
    #[error(
        "the convexity report has no witness: none of its {chords} chords violated \
         convexity, so there is no chord to draw"
    )]
    NoConvexityWitness {
        /// Number of chords the test drew.
        chords: usize,
    },
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Checks that every entry of `values` is finite, naming the first bad entry.
pub(crate) fn check_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Checks that a setting is finite and > 0, naming it otherwise.
pub(crate) fn check_positive(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected: "must be finite and > 0",
        })
    }
}

/// Checks that `values` has exactly `expected` entries.
pub(crate) fn check_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what,
            expected,
            found,
        })
    }
}
