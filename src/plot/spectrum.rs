//! Eigenvalues in the complex plane, with a reference circle.

use super::{perr, FONT};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Options for [`spectrum`].
#[derive(Debug, Clone, Default)]
pub struct SpectrumOpts {
    /// Caption drawn above the plot.
    pub title: String,
    /// Radius of the reference circle (e.g. g for the circular law); `None` for none.
    pub circle: Option<f64>,
    /// Draw the vertical line Re λ = x (e.g. the stability boundary), if set.
    pub vline: Option<f64>,
    /// Second set of points drawn on top (e.g. Jacobian eigenvalues), in orange.
    pub highlight: Vec<(f64, f64)>,
}

/// Scatter `eigs` (re, im) on equal axes, with the circle |λ| = r if requested.
///
/// # Errors
/// A backend failure.
pub fn spectrum<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    eigs: &[(f64, f64)],
    opts: &SpectrumOpts,
) -> Result<()> {
    root.fill(&WHITE).map_err(perr)?;
    let extent = eigs
        .iter()
        .chain(opts.highlight.iter())
        .map(|(re, im)| re.abs().max(im.abs()))
        .chain(opts.circle)
        .chain(opts.vline.map(f64::abs))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let r = if extent > 0.0 {
        (extent * 1.15).min(super::AXIS_LIMIT)
    } else {
        1.0
    };
    // Keep the plot square so the circle looks like a circle.
    // A square drawing area, and the x range stretched by the plotting
    // area's own aspect (label areas and caption take different room), so
    // one unit is the same number of pixels on both axes at any canvas size.
    let (w, h) = root.dim_in_pixel();
    let side = w.min(h);
    let (area, _) = root.split_horizontally(side);
    let (area, _) = area.split_vertically(side);
    let (margin, x_area, y_area, caption) = (8.0, 36.0, 44.0, 22.0);
    let pw = (side as f64 - 2.0 * margin - y_area).max(1.0);
    let ph = (side as f64 - 2.0 * margin - x_area - caption).max(1.0);
    let rx = r * (pw / ph);
    let mut chart = ChartBuilder::on(&area)
        .caption(&opts.title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(-rx..rx, -r..r)
        .map_err(perr)?;
    chart
        .configure_mesh()
        .x_desc("Re λ")
        .y_desc("Im λ")
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| super::heatmap::format_tick_in(*v, 2.0 * rx))
        .y_label_formatter(&|v| super::heatmap::format_tick_in(*v, 2.0 * r))
        .label_style((FONT, 12))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(perr)?;
    let axis = BLACK.mix(0.3);
    chart
        .draw_series(LineSeries::new([(-rx, 0.0), (rx, 0.0)], axis))
        .map_err(perr)?;
    chart
        .draw_series(LineSeries::new([(0.0, -r), (0.0, r)], axis))
        .map_err(perr)?;
    if let Some(x) = opts.vline {
        chart
            .draw_series(LineSeries::new(
                [(x, -r), (x, r)],
                RED.mix(0.6).stroke_width(1),
            ))
            .map_err(perr)?;
    }
    if let Some(c) = opts.circle.filter(|c| c.is_finite() && *c > 0.0) {
        let pts = (0..=200).map(|k| {
            let t = k as f64 / 200.0 * std::f64::consts::TAU;
            (c * t.cos(), c * t.sin())
        });
        chart
            .draw_series(LineSeries::new(pts, RGBColor(214, 39, 40).stroke_width(2)))
            .map_err(perr)?
            .label(format!("|λ| = {}", super::heatmap::format_tick(c)))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], RGBColor(214, 39, 40)));
    }
    let dot = RGBColor(31, 119, 180).mix(0.75).filled();
    chart
        .draw_series(eigs.iter().map(|&(re, im)| Circle::new((re, im), 2, dot)))
        .map_err(perr)?;
    if !opts.highlight.is_empty() {
        let hl = RGBColor(255, 127, 14).filled();
        chart
            .draw_series(
                opts.highlight
                    .iter()
                    .map(|&(re, im)| Circle::new((re, im), 4, hl)),
            )
            .map_err(perr)?;
    }
    if opts.circle.is_some() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
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

    #[test]
    fn draws_each_point() {
        let eigs = vec![(0.5, 0.5), (-0.2, 0.0), (0.1, -0.3)];
        let opts = SpectrumOpts {
            circle: Some(1.0),
            ..Default::default()
        };
        let svg = crate::plot::to_svg(300, 300, |r| spectrum(r, &eigs, &opts)).unwrap();
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
