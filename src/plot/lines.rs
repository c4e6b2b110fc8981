//! Line charts of one or more series.

use super::{finite_range, perr, FONT};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named line. Non-finite points are skipped.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
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
    let (y0, y1) = finite_range(band_pts.iter());
    let (y0, y1) = super::widen_flat(y0, y1);
    let pad = (y1 - y0) * 0.05;
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
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
                .filter(|(x, y)| x.is_finite() && y.is_finite());
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
