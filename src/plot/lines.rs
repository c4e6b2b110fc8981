//! Line charts of one or more series.

use super::{finite_range, perr, FONT};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named line. Non-finite points are skipped.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend entry of the line (the legend appears when more than one series is named).
    pub name: String,
    /// x coordinates of the points.
    pub xs: Vec<f64>,
    /// y coordinates of the points, same length as `xs`.
    pub ys: Vec<f64>,
    /// Colour of the line; its band is drawn in the same colour, translucent.
    pub color: RGBColor,
    /// Optional ± band drawn around the line (same length as `ys`).
    pub band: Option<Vec<f64>>,
    /// Draw filled markers at the finite points instead of a line (e.g.
    /// significance marks).
    pub points: bool,
}

/// Draw `series` on shared axes, with a legend when more than one is named.
///
/// # Errors
/// A backend failure.
pub fn lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<()> {
    lines_in(root, title, x_label, y_label, series, None)
}

/// As [`lines`], with the y-axis fixed to `y_range` = (low, high) instead of
/// fitted to the data (`None`: fitted). Points outside the range are clamped
/// to its edges, so a fixed scale never hides that a value is off it; ± bands
/// are not drawn on a fixed range.
///
/// Arguments: as [`lines`], plus `y_range` (finite, low < high).
/// Returns: `()`; the chart is drawn on `root`.
/// Complexity: O(total points).
///
/// # Errors
/// A non-finite or empty `y_range`; a backend failure.
pub fn lines_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    y_range: Option<(f64, f64)>,
) -> Result<()> {
    if let Some((lo, hi)) = y_range {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(crate::error::Error::param(
                "y_range",
                format!("fixed y-range [{lo}, {hi}] needs finite low < high"),
            ));
        }
        let clamp = |v: &[f64]| {
            v.iter()
                .map(|y| if y.is_finite() { y.clamp(lo, hi) } else { *y })
                .collect()
        };
        let clamped: Vec<Series> = series
            .iter()
            .map(|s| Series {
                ys: clamp(&s.ys),
                band: None,
                ..s.clone()
            })
            .collect();
        return draw(root, title, (x_label, y_label), &clamped, Some((lo, hi)));
    }
    draw(root, title, (x_label, y_label), series, None)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    (x_label, y_label): (&str, &str),
    series: &[Series],
    fixed: Option<(f64, f64)>,
) -> Result<()> {
    root.fill(&WHITE).map_err(perr)?;
    let (x0, x1) = finite_range(series.iter().flat_map(|s| s.xs.iter()));
    let band_pts: Vec<f64> = series
        .iter()
        .flat_map(|s| {
            let b = s.band.clone().unwrap_or_default();
            s.ys.iter()
                .zip(b.into_iter().chain(std::iter::repeat(0.0)))
                .flat_map(|(y, e)| [y - e, y + e])
                .collect::<Vec<_>>()
        })
        .collect();
    let (y0, y1, pad) = match fixed {
        Some((lo, hi)) => (lo, hi, 0.0),
        None => {
            let (y0, y1) = finite_range(band_pts.iter());
            let (y0, y1) = super::widen_flat(y0, y1);
            (y0, y1, (y1 - y0) * 0.05)
        }
    };
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let (xr, yr) = (super::axis(x0, x1), super::axis(y0 - pad, y1 + pad));
    // Points off the axes (only past ±AXIS_LIMIT) are drawn at the edge:
    // plotters' pixel arithmetic overflows on coordinates far outside.
    let clip = |(x, y): (f64, f64)| (x.clamp(xr.start, xr.end), y.clamp(yr.start, yr.end));
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(xr.clone(), yr.clone())
        .map_err(perr)?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| super::heatmap::format_tick_in(*v, x1 - x0))
        .y_label_formatter(&|v| super::heatmap::format_tick_in(*v, y1 - y0))
        .label_style((FONT, 12))
        .light_line_style(BLACK.mix(0.05))
        .draw()
        .map_err(perr)?;
    for s in series {
        if let Some(b) = &s.band {
            let upper = s.xs.iter().zip(&s.ys).zip(b).map(|((x, y), e)| (*x, y + e));
            let lower: Vec<_> =
                s.xs.iter()
                    .zip(&s.ys)
                    .zip(b)
                    .map(|((x, y), e)| (*x, y - e))
                    .collect();
            let poly: Vec<(f64, f64)> = upper
                .chain(lower.into_iter().rev())
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(clip)
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    s.color.mix(0.2).filled(),
                )))
                .map_err(perr)?;
        }
        let pts =
            s.xs.iter()
                .zip(&s.ys)
                .map(|(x, y)| (*x, *y))
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(clip);
        let color = s.color;
        if s.points {
            let drawn = chart
                .draw_series(pts.map(|p| Circle::new(p, 5, color.filled())))
                .map_err(perr)?;
            if !s.name.is_empty() {
                drawn
                    .label(s.name.clone())
                    .legend(move |(x, y)| Circle::new((x + 8, y), 5, color.filled()));
            }
            continue;
        }
        let drawn = chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(perr)?;
        if !s.name.is_empty() {
            drawn.label(s.name.clone()).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2))
            });
        }
    }
    if series.iter().filter(|s| !s.name.is_empty()).count() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 12))
            .draw()
            .map_err(perr)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(ys: Vec<f64>) -> Series {
        Series {
            name: "unit 1".into(),
            xs: (0..ys.len()).map(|i| i as f64).collect(),
            ys,
            color: RGBColor(31, 119, 180),
            band: None,
            points: false,
        }
    }

    #[test]
    fn fixed_range_labels_the_range_not_the_noise() {
        // A decaying trace of amplitude 5e-5 (g = 1 at rest): autoscaled it
        // fills the chart with ticks in 1e-5; on [-1, 1] the ticks read -1 … 1.
        let s = [trace(
            (0..50).map(|i| 5e-5 * (i as f64 * 0.3).sin()).collect(),
        )];
        let auto = crate::plot::to_svg(400, 300, |r| lines(r, "", "t", "h", &s)).unwrap();
        assert!(auto.contains("e-5"), "autoscaled ticks in units of 1e-5");
        let fixed = crate::plot::to_svg(400, 300, |r| {
            lines_in(r, "", "t", "h", &s, Some((-1.0, 1.0)))
        })
        .unwrap();
        // Tick labels (each text node's content is on its own line).
        let ticks: Vec<&str> = fixed.lines().map(str::trim).collect();
        assert!(!fixed.contains("e-5"));
        for t in ["-1", "-0.5", "0", "0.5", "1"] {
            assert!(ticks.contains(&t), "tick {t}");
        }
    }

    #[test]
    fn fixed_range_rejects_empty_or_non_finite() {
        let s = [trace(vec![0.0, 1.0])];
        for bad in [(1.0, 1.0), (2.0, -2.0), (f64::NAN, 1.0)] {
            let e = crate::plot::to_svg(100, 100, |r| lines_in(r, "", "", "", &s, Some(bad)))
                .unwrap_err();
            assert!(e.to_string().contains("y-range"), "{e}");
        }
    }
}
