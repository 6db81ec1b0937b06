//! Datasets: a feature matrix and a target vector, from memory or from a CSV file.

use crate::error::{Error, Result, check_finite};
use ndarray::{Array1, Array2, ArrayView2};
use std::path::Path;

/// Features (n × d) and targets (n) for an [`EmpiricalRisk`](crate::EmpiricalRisk).
///
/// Every value is finite and there is at least one row; the constructors check both. A
/// dataset for the constant model may have no features (d = 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    features: Array2<f64>,
    targets: Array1<f64>,
    feature_names: Vec<String>,
    target_name: String,
}

impl Dataset {
    /// Builds a dataset with targets only, for models such as [`Constant`](crate::Constant)
    /// that ignore features.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] for no targets, [`Error::NonFinite`] for a NaN or infinite target.
    pub fn from_targets(targets: impl Into<Vec<f64>>) -> Result<Self> {
        let targets = targets.into();
        let n = targets.len();
        Self::new(Array2::zeros((n, 0)), Array1::from(targets))
    }

    /// Builds a dataset from an n × d feature matrix and n targets.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] for zero rows, [`Error::DimensionMismatch`] when the row counts
    /// differ, [`Error::NonFinite`] for a NaN or infinite value (the index of a feature is
    /// its position in row-major order).
    pub fn new(features: Array2<f64>, targets: Array1<f64>) -> Result<Self> {
        if targets.is_empty() {
            return Err(Error::Empty {
                what: "dataset targets",
                item: "row",
            });
        }
        if features.nrows() != targets.len() {
            return Err(Error::DimensionMismatch {
                what: "feature matrix rows",
                expected: targets.len(),
                found: features.nrows(),
            });
        }
        let features = features.as_standard_layout().into_owned();
        let targets = targets.as_standard_layout().into_owned();
        check_finite("targets", targets.as_slice().unwrap_or(&[]))?;
        check_finite("features", features.as_slice().unwrap_or(&[]))?;
        let d = features.ncols();
        Ok(Self {
            features,
            targets,
            feature_names: (0..d).map(|j| format!("x{j}")).collect(),
            target_name: "y".to_owned(),
        })
    }

    /// Reads a dataset from a CSV file with a header row: `target` becomes the targets and
    /// `features`, in the order given, the feature columns.
    ///
    /// Quoted headers and fields are accepted, and cells are parsed as general
    /// floating-point numbers (`3.5`, `14`, `1e-3`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Csv`] for a malformed row,
    /// [`Error::MissingColumn`] for a name not in the header, [`Error::InvalidCell`] for a
    /// cell that is not a finite number (naming file, line and column), and
    /// [`Error::NoRows`] when the file has a header only.
    pub fn from_csv(path: impl AsRef<Path>, target: &str, features: &[&str]) -> Result<Self> {
        let mut names = vec![target];
        names.extend_from_slice(features);
        let columns = read_columns(path, &names)?;
        let n = columns[0].len();
        let mut x = Array2::zeros((n, features.len()));
        for (j, column) in columns[1..].iter().enumerate() {
            x.column_mut(j).assign(&Array1::from(column.clone()));
        }
        let mut data = Self::new(x, Array1::from(columns[0].clone()))?;
        data.feature_names = features.iter().map(|s| (*s).to_owned()).collect();
        data.target_name = target.to_owned();
        Ok(data)
    }

    /// Number of rows n.
    pub fn n_rows(&self) -> usize {
        self.targets.len()
    }

    /// Number of features d.
    pub fn n_features(&self) -> usize {
        self.features.ncols()
    }

    /// The feature matrix, n × d.
    pub fn features(&self) -> ArrayView2<'_, f64> {
        self.features.view()
    }

    /// The targets, in row order.
    pub fn targets(&self) -> &[f64] {
        self.targets
            .as_slice()
            .expect("targets are stored in standard layout")
    }

    /// Features of row `i`; empty for a dataset without features.
    ///
    /// # Panics
    ///
    /// When `i >= n_rows()`, like slice indexing.
    pub fn row(&self, i: usize) -> &[f64] {
        let d = self.n_features();
        let all = self
            .features
            .as_slice()
            .expect("features are stored in standard layout");
        &all[i * d..(i + 1) * d]
    }

    /// The feature matrix as one row-major slice of n × d values.
    pub(crate) fn features_flat(&self) -> &[f64] {
        self.features
            .as_slice()
            .expect("features are stored in standard layout")
    }

    /// Target of row `i`.
    ///
    /// # Panics
    ///
    /// When `i >= n_rows()`, like slice indexing.
    pub fn target(&self, i: usize) -> f64 {
        self.targets()[i]
    }

    /// Names of the feature columns (`x0`, `x1`, … unless read from a CSV header).
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Name of the target column (`y` unless read from a CSV header).
    pub fn target_name(&self) -> &str {
        &self.target_name
    }
}

/// Reads the named columns of a CSV file with a header row, as `f64` columns in the order
/// of `names`.
///
/// # Errors
///
/// As [`Dataset::from_csv`].
pub fn read_columns(path: impl AsRef<Path>, names: &[&str]) -> Result<Vec<Vec<f64>>> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file);
    let csv_error = |e: csv::Error| csv_to_error(path, e);

    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut indices = Vec::with_capacity(names.len());
    for &name in names {
        match header.iter().position(|h| h == name) {
            Some(i) => indices.push(i),
            None => {
                return Err(Error::MissingColumn {
                    path: path.to_owned(),
                    column: name.to_owned(),
                    available: header.clone(),
                });
            }
        }
    }

    let mut columns = vec![Vec::new(); names.len()];
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        for ((column, &i), &name) in columns.iter_mut().zip(&indices).zip(names) {
            let text = record.get(i).unwrap_or("").trim();
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => column.push(v),
                _ => {
                    return Err(Error::InvalidCell {
                        path: path.to_owned(),
                        line,
                        column: name.to_owned(),
                        text: text.to_owned(),
                    });
                }
            }
        }
    }
    if columns.first().is_none_or(Vec::is_empty) {
        return Err(Error::NoRows {
            path: path.to_owned(),
        });
    }
    Ok(columns)
}

fn csv_to_error(path: &Path, error: csv::Error) -> Error {
    let line = error.position().map_or(0, |p| p.line());
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io {
            path: path.to_owned(),
            source,
        },
        _ => Error::Csv {
            path: path.to_owned(),
            line,
            message,
        },
    }
}
