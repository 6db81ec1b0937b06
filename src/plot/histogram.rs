//! Histogram of a data column, with the values as a rug below.

use super::canvas::{self, BLUE, Layer, Scene};
use super::curve::{padded, span};
use super::{Column, PlotOptions};
use crate::data::Dataset;
use crate::error::{Error, Result};

/// Draws a histogram of one column of `data` in `bins` bins of equal width, with every
/// value as a rug in a panel below.
///
/// The bins cover the x range set in the options, or else the column's smallest to largest
/// value, shown with a 2% margin. Values outside a range set in the options are left out
/// of the bars and the rug. A value
/// on an inner bin edge counts in the bin to its right, and the largest value counts in
/// the last bin. The y axis is the count of values per bin.
///
/// # Errors
///
/// [`Error::UnsupportedImageFormat`], [`Error::InvalidParameter`] (size) and
/// [`Error::InvalidRange`] for bad options; [`Error::InvalidParameter`] for zero bins, more
/// than 10 000 bins, or a feature column that does not exist; [`Error::Plot`] when drawing
/// or writing fails.
pub fn histogram(data: &Dataset, column: Column, bins: usize, options: &PlotOptions) -> Result<()> {
    let format = options.check()?;
    if !(1..=10_000).contains(&bins) {
        return Err(Error::InvalidParameter {
            name: "bins",
            value: bins as f64,
            expected: "must be between 1 and 10000",
        });
    }
    let values = column.values(data)?;
    let (low, high) = options.x_range.unwrap_or_else(|| {
        let (low, high) = span(&values);
        if low < high {
            (low, high)
        } else {
            padded((low, high), 0.0)
        }
    });
    let width = (high - low) / bins as f64;
    let mut counts = vec![0_usize; bins];
    for &v in &values {
        if (low..=high).contains(&v) {
            let bin = (((v - low) / width) as usize).min(bins - 1);
            counts[bin] += 1;
        }
    }

    let tallest = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let y_range = options.y_range.unwrap_or((0.0, tallest * 1.08));
    let x_range = if options.x_range.is_some() {
        (low, high)
    } else {
        padded((low, high), 0.02)
    };
    let mut scene = Scene::new(x_range, y_range);
    let name = column.name(data);
    let title = if name.is_empty() {
        "Histogram".to_owned()
    } else {
        format!("Histogram of {name}")
    };
    scene.labels(options, title, name, "count");
    for (i, &count) in counts.iter().enumerate() {
        if count > 0 {
            scene.layers.push(Layer::Bar {
                x0: low + width * i as f64,
                x1: low + width * (i + 1) as f64,
                height: count as f64,
                color: BLUE,
            });
        }
    }
    scene.rug = Some(values);
    canvas::render(&scene, options, format)
}
