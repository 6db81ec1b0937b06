//! Plane geometry for drawing: clipping polylines to a chart's box and thinning them to
//! the pixel grid.

/// Cuts a polyline to the box `x_range × y_range`, returning the pieces inside it.
pub(crate) fn clip_polyline(
    points: &[(f64, f64)],
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if let [only] = points
        && clip_segment(*only, *only, x_range, y_range).is_some()
    {
        return vec![vec![*only]];
    }
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], x_range, y_range) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// Liang–Barsky clipping of the segment from `a` to `b` to a box.
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Drops points closer than half a pixel to the last point kept, always keeping the ends,
/// so that a trace of many thousand iterates stays a small SVG path.
pub(crate) fn decimate(points: &[(f64, f64)], pixel: (f64, f64)) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(4096));
    for (i, &p) in points.iter().enumerate() {
        let last = i + 1 == points.len();
        match kept.last() {
            Some(&q)
                if !last
                    && ((p.0 - q.0) / pixel.0).abs() < 0.5
                    && ((p.1 - q.1) / pixel.1).abs() < 0.5 => {}
            _ => kept.push(p),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_inner_segment() {
        let pieces = clip_polyline(&[(0.0, 0.0), (1.0, 1.0)], (-1.0, 2.0), (-1.0, 2.0));
        assert_eq!(pieces, vec![vec![(0.0, 0.0), (1.0, 1.0)]]);
    }

    #[test]
    fn clip_cuts_at_border() {
        let pieces = clip_polyline(&[(0.0, 0.0), (4.0, 4.0)], (0.0, 2.0), (0.0, 2.0));
        assert_eq!(pieces, vec![vec![(0.0, 0.0), (2.0, 2.0)]]);
    }

    #[test]
    fn clip_splits_excursion() {
        // Up out of the box and back down: two pieces, each ending on the top border.
        let points = [(0.0, 0.0), (1.0, 4.0), (2.0, 0.0)];
        let pieces = clip_polyline(&points, (0.0, 2.0), (0.0, 2.0));
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (0.5, 2.0)]);
        assert_eq!(pieces[1], vec![(1.5, 2.0), (2.0, 0.0)]);
    }

    #[test]
    fn decimate_keeps_ends() {
        let points: Vec<(f64, f64)> = (0..=1000).map(|i| (f64::from(i) * 1e-4, 0.0)).collect();
        let kept = decimate(&points, (0.01, 0.01));
        assert_eq!(kept.first(), points.first());
        assert_eq!(kept.last(), points.last());
        assert!(kept.len() < 30, "{}", kept.len());
    }
}
