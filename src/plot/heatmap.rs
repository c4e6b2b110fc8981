//! Matrix heatmap with a colour bar.

use super::{finite_range, perr, ColorMap, FONT};
use crate::error::{Error, Result};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Options for [`heatmap`].
#[derive(Debug, Clone)]
pub struct HeatmapOpts {
    /// Caption drawn above the plot.
    pub title: String,
    /// Name of the x axis (columns), default "column j".
    pub x_label: String,
    /// Name of the y axis (rows), default "row i".
    pub y_label: String,
    /// Force a colour map and range; `None` picks one from the data.
    pub scale: Option<(ColorMap, f64, f64)>,
    /// Largest number of drawn cells per side; bigger matrices are block-averaged.
    pub max_cells: usize,
    /// Draw lines after these row/column indices (community borders).
    pub borders: Vec<usize>,
}

impl Default for HeatmapOpts {
    fn default() -> Self {
        HeatmapOpts {
            title: String::new(),
            x_label: "column j".into(),
            y_label: "row i".into(),
            scale: None,
            max_cells: 256,
            borders: Vec::new(),
        }
    }
}

/// Draw `m` as a heatmap (row 0 at the top) with a colour bar on the right.
///
/// Matrices larger than `opts.max_cells` per side are shown as block means so
/// the number of drawn rectangles stays bounded (a canvas draws ≤ 65k cells).
///
/// # Errors
/// An empty matrix, or a backend failure.
pub fn heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Array2<f64>,
    opts: &HeatmapOpts,
) -> Result<()> {
    let (nr, nc) = m.dim();
    if nr == 0 || nc == 0 {
        return Err(Error::Shape("cannot draw an empty matrix".into()));
    }
    root.fill(&WHITE).map_err(perr)?;
    let (cmap, lo, hi) = opts.scale.unwrap_or_else(|| auto_scale(m));
    let (w, _) = root.dim_in_pixel();
    let bar_w = 90.min(w / 4);
    let (main, bar) = root.split_horizontally(w.saturating_sub(bar_w));

    let mut chart = ChartBuilder::on(&main)
        .caption(&opts.title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f64..nc as f64, nr as f64..0f64)
        .map_err(perr)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&opts.x_label)
        .y_desc(&opts.y_label)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{}", *v as i64))
        .y_label_formatter(&|v| format!("{}", *v as i64))
        .label_style((FONT, 12))
        .draw()
        .map_err(perr)?;

    // Block-average big matrices: cells of bs_r × bs_c entries.
    let cells = opts.max_cells.max(1);
    let (br, bc) = (nr.div_ceil(cells), nc.div_ceil(cells));
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let mut rects = Vec::with_capacity(nr.div_ceil(br) * nc.div_ceil(bc));
    for r0 in (0..nr).step_by(br) {
        for c0 in (0..nc).step_by(bc) {
            let (r1, c1) = ((r0 + br).min(nr), (c0 + bc).min(nc));
            // slice_axis, not s![]: the macro's allow(unsafe_code) clashes with forbid.
            let block = m
                .slice_axis(ndarray::Axis(0), ndarray::Slice::from(r0..r1))
                .slice_axis_move(ndarray::Axis(1), ndarray::Slice::from(c0..c1));
            let v = block.sum() / block.len() as f64;
            let color = cmap.at((v - lo) / span);
            rects.push(Rectangle::new(
                [(c0 as f64, r0 as f64), (c1 as f64, r1 as f64)],
                color.filled(),
            ));
        }
    }
    chart.draw_series(rects).map_err(perr)?;
    for &b in &opts.borders {
        let b = b as f64;
        let style = BLACK.stroke_width(1);
        chart
            .draw_series(LineSeries::new([(b, 0.0), (b, nr as f64)], style))
            .map_err(perr)?;
        chart
            .draw_series(LineSeries::new([(0.0, b), (nc as f64, b)], style))
            .map_err(perr)?;
    }
    colorbar(&bar, cmap, lo, hi)
}

/// Colour scale from the data: diverging and symmetric for signed data;
/// sequential (viridis) starting at 0 for non-negative data (counts,
/// allegiance), so colour is proportional to value. For more than 100 entries
/// the limit is the 99th percentile of |value| (or of the values), so a few
/// outliers do not wash out the picture; beyond it colours saturate.
pub fn auto_scale(m: &Array2<f64>) -> (ColorMap, f64, f64) {
    let (lo, hi) = finite_range(m.iter());
    let lo = if lo > 0.0 && hi > lo { 0.0 } else { lo };
    if m.len() <= 100 {
        return ColorMap::for_range(lo, hi);
    }
    let pct = |mut v: Vec<f64>| {
        let k = ((v.len() as f64) * 0.99) as usize;
        let k = k.min(v.len() - 1);
        *v.select_nth_unstable_by(k, f64::total_cmp).1
    };
    let finite = m.iter().copied().filter(|v| v.is_finite());
    if lo < 0.0 && hi > 0.0 {
        let a = pct(finite.map(f64::abs).collect());
        let a = if a > 0.0 { a } else { lo.abs().max(hi) };
        (ColorMap::Diverging, -a, a)
    } else {
        let top = pct(finite.collect());
        ColorMap::for_range(lo, if top > lo { top } else { hi })
    }
}

/// A vertical colour bar for `cmap` over `[lo, hi]`.
pub(crate) fn colorbar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cmap: ColorMap,
    lo: f64,
    hi: f64,
) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(34)
        .margin_bottom(44)
        .margin_right(4)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..1f64, super::axis(lo, hi))
        .map_err(perr)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(5)
        // Snap float noise such as -2.8e-17 to 0.
        .y_label_formatter(&|v| format_tick(if v.abs() < (hi - lo) * 1e-9 { 0.0 } else { *v }))
        .label_style((FONT, 11))
        .draw()
        .map_err(perr)?;
    let steps = 64;
    let dv = (hi - lo) / steps as f64;
    chart
        .draw_series((0..steps).map(|k| {
            let v0 = lo + dv * k as f64;
            Rectangle::new(
                [(0.0, v0), (1.0, v0 + dv)],
                cmap.at((k as f64 + 0.5) / steps as f64).filled(),
            )
        }))
        .map_err(perr)?;
    Ok(())
}

/// A tick label on an axis spanning `span`, with just enough digits that
/// neighbouring ticks (about span/5 apart) read differently: an axis from
/// −0.0021 to −0.0019 is labelled −0.00210, −0.00205, … rather than −0.002
/// five times. Float noise such as −5.6e-17 (|v| < 10⁻⁹·span) is shown as 0.
pub(crate) fn format_tick_in(v: f64, span: f64) -> String {
    let span = span.abs();
    if !v.is_finite() || !span.is_finite() || span == 0.0 {
        return format_tick(v);
    }
    if v.abs() < span * 1e-9 {
        return "0".into();
    }
    let step = span / 5.0;
    let a = v.abs().max(span);
    if (1e-3..1e4).contains(&a) {
        // Decimals that resolve one tick step (at least the default 3).
        let dec = ((-step.log10()).ceil() as i64 + 1).clamp(3, 12) as usize;
        let s = format!("{v:.dec$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        if s == "-0" {
            "0".into()
        } else {
            s.to_string()
        }
    } else {
        // Significant digits that resolve one tick step (at least 2).
        let sig = ((v.abs() / step).log10().ceil() as i64 + 1).clamp(2, 12) as usize;
        format!("{v:.prec$e}", prec = sig - 1)
    }
}

/// Compact tick label: 3 significant digits, scientific for tiny/huge values.
pub(crate) fn format_tick(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e4).contains(&a) {
        format!("{v:.1e}")
    } else {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".into()
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_cells_and_ticks() {
        let m = ndarray::array![[1.0, -1.0], [0.5, 0.0]];
        let svg = crate::plot::to_svg(400, 300, |root| heatmap(root, &m, &HeatmapOpts::default()))
            .unwrap();
        // 4 cells + 64 colour-bar slices, at least.
        assert!(
            svg.matches("<rect").count() >= 68,
            "{}",
            svg.matches("<rect").count()
        );
        // The strongest positive entry is drawn in the diverging map's top red.
        assert!(svg.contains("#67001F") || svg.contains("#67001f"));
        assert_eq!(format_tick(0.25), "0.25");
        // Non-negative data: viridis from 0, not from the smallest entry.
        let pos = ndarray::array![[0.5, 1.0], [0.75, 1.0]];
        assert_eq!(auto_scale(&pos), (ColorMap::Viridis, 0.0, 1.0));
        assert_eq!(format_tick(2e-5), "2.0e-5");
        assert_eq!(format_tick_in(-5.6e-17, 0.6), "0");
        assert_eq!(format_tick_in(2e-5, 1e-4), "2.0e-5");
    }

    #[test]
    fn neighbouring_ticks_read_differently() {
        // An axis from −0.0021 to −0.0019 (issue: every label read "-0.002").
        let (lo, hi) = (-0.0021, -0.0019);
        let labels: Vec<String> = (0..=4)
            .map(|k| format_tick_in(lo + (hi - lo) * k as f64 / 4.0, hi - lo))
            .collect();
        assert_eq!(labels[0], "-0.0021");
        assert_eq!(labels[2], "-0.002");
        let mut uniq = labels.clone();
        uniq.dedup();
        assert_eq!(uniq.len(), 5, "{labels:?}");
        // Large offsets with a small span, in scientific notation.
        let a = format_tick_in(1.0e6, 10.0);
        let b = format_tick_in(1.0e6 + 2.0, 10.0);
        assert_ne!(a, b, "{a} {b}");
        // Ordinary axes keep the compact default.
        assert_eq!(format_tick_in(0.25, 1.0), "0.25");
        assert_eq!(format_tick_in(-1.5, 4.0), "-1.5");
    }

    #[test]
    fn flat_data_is_drawn_flat() {
        use crate::plot::widen_flat;
        // Float noise around 0 (a network at rest): a unit-wide axis around 0.
        assert_eq!(widen_flat(-5.4e-180, 3e-180), (-0.5, 0.5));
        // A constant away from 0: ±5 % of it.
        let (lo, hi) = widen_flat(2.0, 2.0);
        assert!((lo - 1.9).abs() < 1e-12 && (hi - 2.1).abs() < 1e-12);
        // A real, small signal is left alone.
        assert_eq!(widen_flat(-5e-5, 5e-5), (-5e-5, 5e-5));
    }
}
