//! Every figure renders as a valid SVG or PNG of the requested size, a descent path draws
//! one marker per iterate, and bad input returns an error instead of panicking.

#![cfg(feature = "plot")]

mod common;

use dualopt::plot::{self, Column, PlotOptions};
use dualopt::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Builds the textbook's five targets, fitted under MSE with the constant model.
fn small_data() -> Dataset {
    Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap()
}

/// Runs the textbook's descent on [`small_data`]: θ₀ = 0, α = 0.2, stop when |Δθ| < 0.001.
fn textbook_run(mse: &impl Objective) -> Solution {
    GradientDescent::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .record_trace(true)
        .minimize(mse, &[0.0])
        .unwrap()
}

/// f(x, y) = x² + 10 y², a bowl with elliptic level sets.
struct Bowl;

impl Objective for Bowl {
    fn dim(&self) -> usize {
        2
    }
    fn eval<S: Scalar>(&self, theta: &[S]) -> S {
        theta[0] * theta[0] + theta[1] * theta[1] * 10.0
    }
}

fn bowl_run() -> Solution {
    GradientDescent::new()
        .learning_rate(0.05)
        .gradient_tolerance(1e-3)
        .record_trace(true)
        .minimize(&Bowl, &[2.0, 1.0])
        .unwrap()
}

/// Width and height from the root `<svg>` element, after parsing the whole file as XML.
fn svg_size(path: &Path) -> (u32, u32) {
    let text = std::fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{}", path.display());
    let attribute = |name| root.attribute(name).unwrap().parse::<u32>().unwrap();
    (attribute("width"), attribute("height"))
}

/// Width and height from the PNG header, after checking the signature and decoding the
/// whole image.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let decoder = png::Decoder::new(File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    (frame.width, frame.height)
}

/// Number of `<circle>` elements in an SVG file.
fn svg_circles(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    document
        .descendants()
        .filter(|node| node.has_tag_name("circle"))
        .count()
}

/// Draws one figure as SVG and as PNG at two sizes each into a temporary folder, and
/// checks that each file is a valid image of the requested size.
fn assert_renders(draw: impl Fn(&PlotOptions) -> Result<(), Error>) {
    let folder = tempfile::tempdir().unwrap();
    for (width, height) in [(640, 480), (1000, 300)] {
        for extension in ["svg", "png"] {
            let path = folder
                .path()
                .join(format!("figure_{width}x{height}.{extension}"));
            draw(&PlotOptions::new(&path).size(width, height)).unwrap();
            let size = match extension {
                "svg" => svg_size(&path),
                _ => png_size(&path),
            };
            assert_eq!(size, (width, height), "{}", path.display());
        }
    }
}

#[test]
fn loss_curve_renders_at_size() {
    let data = common::tips_pcttip();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    assert_renders(|options| plot::loss_curve(&mse, &data, Column::Target, options));
}

#[test]
fn theta_marker_renders_at_size() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    assert_renders(|options| plot::theta_marker(&mse, 12.0, options));
}

#[test]
fn tangent_line_renders_at_size() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    assert_renders(|options| plot::tangent_line(&mse, 0.0, options));
}

#[test]
fn descent_step_renders_at_size() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    assert_renders(|options| plot::descent_step(&mse, &solution, 0, options));
}

#[test]
fn descent_path_renders_at_size() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    assert_renders(|options| plot::descent_path(&mse, &solution, options));
}

#[test]
fn chord_renders_at_size() {
    let data = Dataset::from_targets(vec![0.0]).unwrap();
    let quartic = EmpiricalRisk::new(Constant, Quartic, &data).unwrap();
    assert_renders(|options| plot::chord(&quartic, &[-14.5], &[18.4], Some(0.5), options));
    assert_renders(|options| plot::chord(&quartic, &[-14.5], &[18.4], None, options));
}

#[test]
fn chord_in_two_dimensions_renders() {
    assert_renders(|options| plot::chord(&Bowl, &[-1.0, 2.0], &[1.5, -1.0], Some(0.3), options));
}

#[test]
fn histogram_renders_at_size() {
    let data = common::tips_pcttip();
    assert_renders(|options| plot::histogram(&data, Column::Target, 30, options));
}

#[test]
fn histogram_of_feature_column() {
    let data = Dataset::from_csv(common::tips_path(), "tip", &["total_bill"]).unwrap();
    assert_renders(|options| plot::histogram(&data, Column::Feature(0), 20, options));
}

#[test]
fn contour_renders_at_size() {
    let batch = bowl_run();
    let stochastic = bowl_run();
    assert_renders(|options| {
        plot::contour(
            &Bowl,
            &[("batch", &batch), ("stochastic", &stochastic)],
            options,
        )
    });
}

#[test]
fn contour_of_linear_model_with_sgd() {
    let data = Dataset::from_csv(common::tips_path(), "tip", &["total_bill"]).unwrap();
    let mse = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data).unwrap();
    let batch = GradientDescent::new()
        .learning_rate(0.001)
        .max_iterations(200)
        .record_trace(true)
        .minimize(&mse, &[0.0, 0.0])
        .unwrap();
    let stochastic = Sgd::new()
        .batch_size(1)
        .learning_rate(0.0002)
        .max_epochs(1)
        .seed(7)
        .record_trace(true)
        .minimize(&mse, &[0.0, 0.0])
        .unwrap();
    assert_renders(|options| plot::contour(&mse, &[("GD", &batch), ("SGD", &stochastic)], options));
}

#[test]
fn every_figure_renders_at_smallest_size() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    let bowl = bowl_run();
    let folder = tempfile::tempdir().unwrap();
    let side = PlotOptions::MIN_SIZE;
    for extension in ["svg", "png"] {
        let options = |name: &str| {
            PlotOptions::new(folder.path().join(format!("{name}.{extension}"))).size(side, side)
        };
        plot::loss_curve(&mse, &data, Column::Target, &options("curve")).unwrap();
        plot::theta_marker(&mse, 3.0, &options("marker")).unwrap();
        plot::tangent_line(&mse, 3.0, &options("tangent")).unwrap();
        plot::descent_step(&mse, &solution, 2, &options("step")).unwrap();
        plot::descent_path(&mse, &solution, &options("path")).unwrap();
        plot::chord(&mse, &[10.0], &[20.0], Some(0.25), &options("chord")).unwrap();
        plot::histogram(&data, Column::Target, 5, &options("histogram")).unwrap();
        plot::contour(&Bowl, &[("GD", &bowl)], &options("contour")).unwrap();
    }
}

#[test]
fn descent_path_svg_one_circle_per_iterate() {
    let folder = tempfile::tempdir().unwrap();

    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    let path = folder.path().join("textbook.svg");
    plot::descent_path(&mse, &solution, &PlotOptions::new(&path)).unwrap();
    let trace = solution.trace.as_ref().unwrap();
    // 18 steps from θ₀ = 0 (pinned bit for bit in tests/textbook.rs), so 19 iterates.
    assert_eq!(trace.len(), 19);
    assert_eq!(svg_circles(&path), trace.len());

    let zero = Dataset::from_targets(vec![0.0]).unwrap();
    let quartic = EmpiricalRisk::new(Constant, Quartic, &zero).unwrap();
    let local = GradientDescent::new()
        .learning_rate(0.3)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .record_trace(true)
        .minimize(&quartic, &[-21.0])
        .unwrap();
    let path = folder.path().join("quartic.svg");
    let options = PlotOptions::new(&path).x_range(-23.0, 25.0);
    plot::descent_path(&quartic, &local, &options).unwrap();
    assert_eq!(svg_circles(&path), local.trace.as_ref().unwrap().len());
}

#[test]
fn descent_path_skips_markers_outside_range() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    let trace = solution.trace.as_ref().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("zoomed.svg");
    // Only iterates with θ in [10, 20] are inside this x range.
    let inside = trace
        .iter()
        .filter(|i| (10.0..=20.0).contains(&i.theta[0]))
        .count();
    assert!(inside > 0);
    assert!(inside < trace.len());
    plot::descent_path(
        &mse,
        &solution,
        &PlotOptions::new(&path).x_range(10.0, 20.0),
    )
    .unwrap();
    assert_eq!(svg_circles(&path), inside);
}

#[test]
fn descent_step_hollow_then_filled() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("step.svg");
    plot::descent_step(&mse, &solution, 0, &PlotOptions::new(&path)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let fills: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("circle"))
        .map(|node| node.attribute("fill").unwrap())
        .collect();
    // The chart's two markers, old θ then new θ, and the same two in the legend.
    assert_eq!(fills.len(), 4, "{fills:?}");
    assert_eq!(fills[0], "none");
    assert_ne!(fills[1], "none");
    assert!(text.contains("θ₀ = 0 (before)"), "legend names the old θ");
    assert!(text.contains("θ₁ = 5.864"), "legend names the new θ");
}

#[test]
fn svg_output_is_deterministic() {
    let folder = tempfile::tempdir().unwrap();
    let bowl = bowl_run();
    let first = folder.path().join("first.svg");
    let second = folder.path().join("second.svg");
    plot::contour(&Bowl, &[("GD", &bowl)], &PlotOptions::new(&first)).unwrap();
    plot::contour(&Bowl, &[("GD", &bowl)], &PlotOptions::new(&second)).unwrap();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

/// Names a file in `folder` that the test expects never to be written.
fn unwritten(folder: &tempfile::TempDir, name: &str) -> PathBuf {
    folder.path().join(name)
}

#[test]
fn public_types_are_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<PlotOptions>();
    check::<Column>();
}

#[test]
fn unknown_extension_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    for name in ["figure.jpg", "figure", "figure.svg.txt"] {
        let path = unwritten(&folder, name);
        let err = plot::theta_marker(&mse, 1.0, &PlotOptions::new(&path)).unwrap_err();
        assert!(
            matches!(err, Error::UnsupportedImageFormat { .. }),
            "{name}: {err}"
        );
        assert!(err.to_string().contains(name), "{err}");
        assert!(err.to_string().contains(".svg or *.png"), "{err}");
        assert!(!path.exists());
    }
}

#[test]
fn upper_case_extension_is_accepted() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("figure.SVG");
    plot::theta_marker(&mse, 1.0, &PlotOptions::new(&path)).unwrap();
    assert_eq!(svg_size(&path), (800, 600));
}

#[test]
fn bad_size_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.png");
    let too_large = PlotOptions::MAX_SIZE + 1;
    for (width, height, name) in [
        (0, 600, "width"),
        (800, 0, "height"),
        (PlotOptions::MIN_SIZE - 1, 600, "width"),
        (800, too_large, "height"),
    ] {
        let options = PlotOptions::new(&path).size(width, height);
        let err = plot::theta_marker(&mse, 1.0, &options).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: n, .. } if n == name),
            "{width}x{height}: {err}"
        );
        assert!(err.to_string().contains("pixels"), "{err}");
    }
    assert!(!path.exists());
}

#[test]
fn inverted_or_non_finite_range_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.svg");
    let cases = [
        (PlotOptions::new(&path).x_range(5.0, 1.0), "x_range"),
        (PlotOptions::new(&path).x_range(1.0, 1.0), "x_range"),
        (PlotOptions::new(&path).x_range(f64::NAN, 1.0), "x_range"),
        (
            PlotOptions::new(&path).y_range(0.0, f64::INFINITY),
            "y_range",
        ),
        (PlotOptions::new(&path).y_range(3.0, -3.0), "y_range"),
    ];
    for (options, name) in cases {
        let err = plot::tangent_line(&mse, 1.0, &options).unwrap_err();
        assert!(
            matches!(err, Error::InvalidRange { name: n, .. } if n == name),
            "{err}"
        );
        assert!(err.to_string().contains("low < high"), "{err}");
    }
    let bowl = bowl_run();
    let inverted = PlotOptions::new(&path).y_range(1.0, -1.0);
    let err = plot::contour(&Bowl, &[("GD", &bowl)], &inverted).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRange {
                name: "y_range",
                ..
            }
        ),
        "{err}"
    );
    assert!(!path.exists());
}

#[test]
fn wrong_dimension_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let one_parameter_run = textbook_run(&mse);
    let bowl = bowl_run();
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.svg");
    let options = PlotOptions::new(&path);

    let errors = [
        plot::loss_curve(&Bowl, &data, Column::Target, &options).unwrap_err(),
        plot::theta_marker(&Bowl, 1.0, &options).unwrap_err(),
        plot::tangent_line(&Bowl, 1.0, &options).unwrap_err(),
        plot::descent_step(&Bowl, &bowl, 0, &options).unwrap_err(),
        plot::descent_path(&Bowl, &bowl, &options).unwrap_err(),
        plot::contour(&mse, &[("GD", &one_parameter_run)], &options).unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::DimensionMismatch { .. }), "{err}");
    }

    // A trace whose θ does not match the objective's dimension.
    let err = plot::contour(&Bowl, &[("GD", &one_parameter_run)], &options).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DimensionMismatch {
                expected: 2,
                found: 1,
                ..
            }
        ),
        "{err}"
    );
    let err = plot::chord(&Bowl, &[1.0], &[1.0, 2.0], None, &options).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DimensionMismatch {
                expected: 2,
                found: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(!path.exists());
}

#[test]
fn empty_or_missing_trace_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.png");
    let options = PlotOptions::new(&path);

    let untraced = GradientDescent::new()
        .learning_rate(0.2)
        .minimize(&mse, &[0.0])
        .unwrap();
    let err = plot::descent_path(&mse, &untraced, &options).unwrap_err();
    assert!(matches!(err, Error::MissingTrace), "{err}");
    assert!(err.to_string().contains("record_trace(true)"), "{err}");

    let mut emptied = textbook_run(&mse);
    emptied.trace = Some(Trace::default());
    let errors = [
        plot::descent_path(&mse, &emptied, &options).unwrap_err(),
        plot::descent_step(&mse, &emptied, 0, &options).unwrap_err(),
        plot::contour(&Bowl, &[("empty", &emptied)], &options).unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::Empty { .. }), "{err}");
        assert!(err.to_string().contains("trace"), "{err}");
    }
    assert!(!path.exists());
}

#[test]
fn step_past_trace_end_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let solution = textbook_run(&mse);
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.svg");
    // 19 iterates make 18 steps, numbered 0 to 17.
    plot::descent_step(&mse, &solution, 17, &PlotOptions::new(&path)).unwrap();
    for step in [18, 19, usize::MAX] {
        let err = plot::descent_step(&mse, &solution, step, &PlotOptions::new(&path)).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "step", .. }),
            "{step}: {err}"
        );
    }
}

#[test]
fn bad_figure_settings_are_errors() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "figure.svg");
    let options = PlotOptions::new(&path);

    let err = plot::histogram(&data, Column::Target, 0, &options).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { name: "bins", .. }),
        "{err}"
    );
    let err = plot::histogram(&data, Column::Feature(0), 10, &options).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
    assert!(err.to_string().contains("feature count"), "{err}");
    let err = plot::loss_curve(&mse, &data, Column::Feature(3), &options).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");

    for t in [-0.1, 1.5, f64::NAN] {
        let err = plot::chord(&mse, &[10.0], &[20.0], Some(t), &options).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "t", .. }),
            "{t}: {err}"
        );
    }
    let err = plot::chord(&mse, &[f64::NAN], &[20.0], None, &options).unwrap_err();
    assert!(matches!(err, Error::NonFinite { .. }), "{err}");
    let err = plot::chord(&Bowl, &[1.0, 1.0], &[1.0, 1.0], None, &options).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
    let err = plot::theta_marker(&mse, f64::INFINITY, &options).unwrap_err();
    assert!(matches!(err, Error::NonFinite { .. }), "{err}");

    let err = plot::contour(&Bowl, &[], &options).unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err}");
    assert!(err.to_string().contains("x_range and y_range"), "{err}");
    assert!(!path.exists());

    // Without paths, both ranges are enough.
    let ranged = options.x_range(-1.0, 1.0).y_range(-1.0, 1.0);
    plot::contour(&Bowl, &[], &ranged).unwrap();
    assert_eq!(svg_size(&path), (800, 600));
}

/// f(θ) = ln θ, which is NaN for θ < 0 and −∞ at 0.
struct Log;

impl Objective for Log {
    fn dim(&self) -> usize {
        1
    }
    fn eval<S: Scalar>(&self, theta: &[S]) -> S {
        theta[0].ln()
    }
}

#[test]
fn non_finite_objective_values() {
    let folder = tempfile::tempdir().unwrap();
    // NaN on part of the range: the curve is drawn where it is finite.
    let path = folder.path().join("log.png");
    let options = PlotOptions::new(&path).x_range(-1.0, 3.0);
    plot::theta_marker(&Log, 1.0, &options).unwrap();
    assert_eq!(png_size(&path), (800, 600));

    // NaN over the whole range, or at the marker: an error naming the value.
    let path = folder.path().join("nan.png");
    let options = PlotOptions::new(&path).x_range(-3.0, -1.0);
    let err = plot::theta_marker(&Log, -2.0, &options).unwrap_err();
    assert!(matches!(err, Error::NonFiniteObjective { .. }), "{err}");
    let err = plot::tangent_line(&Log, 0.0, &PlotOptions::new(&path)).unwrap_err();
    assert!(matches!(err, Error::NonFiniteObjective { .. }), "{err}");
    assert!(!path.exists());
}

#[test]
fn unwritable_path_is_plot_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let folder = tempfile::tempdir().unwrap();
    for name in ["figure.svg", "figure.png"] {
        let path = folder.path().join("no").join("such").join(name);
        let err = plot::theta_marker(&mse, 1.0, &PlotOptions::new(&path)).unwrap_err();
        assert!(matches!(err, Error::Plot { .. }), "{err}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
    }
}

/// A `<circle>` of an SVG file: centre and fill.
#[derive(Debug, Clone, Copy)]
struct Circle<'a> {
    cx: f64,
    cy: f64,
    fill: &'a str,
}

fn circles<'a>(document: &'a roxmltree::Document<'_>) -> Vec<Circle<'a>> {
    document
        .descendants()
        .filter(|node| node.has_tag_name("circle"))
        .map(|node| Circle {
            cx: node.attribute("cx").unwrap().parse().unwrap(),
            cy: node.attribute("cy").unwrap().parse().unwrap(),
            fill: node.attribute("fill").unwrap(),
        })
        .collect()
}

#[test]
fn witness_chord_shows_failed_test() {
    let zero = Dataset::from_targets(vec![0.0]).unwrap();
    let quartic = EmpiricalRisk::new(Constant, Quartic, &zero).unwrap();
    let report = ConvexityTest::new(Domain::interval(-23.0, 25.0))
        .seed(1)
        .run(&quartic)
        .unwrap();
    assert!(report.verdict.is_violated());
    let witness = report.worst.as_ref().unwrap();
    assert_eq!(witness.kind, ViolationKind::Chord);

    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("witness.svg");
    plot::convexity_witness(&quartic, &report, &PlotOptions::new(&path)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let circles = circles(&document);

    // In the chart: the ends f(a) and f(b), the chord's value at the point (hollow) and f
    // there; then the legend's two samples.
    assert_eq!(circles.len(), 6, "{circles:?}");
    let (a, b, on_chord, on_curve) = (circles[0], circles[1], circles[2], circles[3]);
    assert_eq!(on_chord.fill, "none");
    assert_ne!(on_curve.fill, "none");
    assert_eq!(on_chord.cx, on_curve.cx);
    // f lies above the chord there: higher on the page, so a smaller y in pixels.
    assert!(on_curve.cy < on_chord.cy, "{on_curve:?} {on_chord:?}");
    // The point t a + (1 − t) b lies 1 − t of the way from a to b.
    let fraction = (on_chord.cx - a.cx) / (b.cx - a.cx);
    let pixel = 1.0 / (b.cx - a.cx).abs();
    assert!(
        (fraction - (1.0 - witness.t)).abs() <= 2.0 * pixel,
        "fraction {fraction}, t {}",
        witness.t
    );
    assert!(
        text.contains("Not convex: f lies"),
        "title states the failure"
    );
}

#[test]
fn witness_of_convex_function_is_error() {
    let data = small_data();
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let report = ConvexityTest::new(Domain::interval(0.0, 30.0))
        .seed(1)
        .run(&mse)
        .unwrap();
    assert!(!report.verdict.is_violated());
    let folder = tempfile::tempdir().unwrap();
    let path = unwritten(&folder, "witness.svg");
    let err = plot::convexity_witness(&mse, &report, &PlotOptions::new(&path)).unwrap_err();
    assert!(matches!(err, Error::NoConvexityWitness { .. }), "{err}");
    assert!(err.to_string().contains("no witness"), "{err}");
    assert!(!path.exists());
}
