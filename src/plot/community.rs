//! Community charts: a layers × nodes raster (colour = community) and bar
//! charts (node flexibility, histograms).

use super::{finite_range, perr, FONT};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A categorical colour for community `c`: the colour-blind-safe
/// [`CATEGORICAL`](super::colormap::CATEGORICAL) set (Paul Tol's muted) for the
/// first ten, then plotters' Palette99 (no palette of more than ~10 colours
/// stays distinguishable for colour-blind viewers).
pub fn community_color(c: usize) -> RGBColor {
    use super::colormap::CATEGORICAL;
    if let Some(&k) = CATEGORICAL.get(c) {
        return k;
    }
    let p = Palette99::pick(c - CATEGORICAL.len()).to_rgba();
    RGBColor(p.0, p.1, p.2)
}

/// Draw `labels[l][i]` as a raster: x = node (in `order`), y = layer.
///
/// # Errors
/// No layers, ragged layers, `order` not of length N, or a backend failure.
pub fn raster<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[Vec<usize>],
    order: &[usize],
    title: &str,
) -> Result<()> {
    let l = labels.len();
    let n = labels.first().map_or(0, |v| v.len());
    if l == 0 || n == 0 || labels.iter().any(|v| v.len() != n) || order.len() != n {
        return Err(Error::Shape(
            "raster needs L non-empty layers of equal length and an order of that length".into(),
        ));
    }
    root.fill(&WHITE).map_err(perr)?;
    // A colour key on the right: the categorical analogue of a colour bar.
    let (w, _) = root.dim_in_pixel();
    let key_w = 90.min(w / 4);
    let (main, key) = root.split_horizontally(w.saturating_sub(key_w));
    community_key(&key, labels)?;
    let mut chart = ChartBuilder::on(&main)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        // Layer k (1-based) is the row from k − ½ to k + ½, so integer ticks sit on row centres.
        .build_cartesian_2d(0f64..n as f64, (l as f64 + 0.5)..0.5f64)
        .map_err(perr)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("node (ordered by community)")
        .y_desc("layer (window)")
        .x_labels(6)
        .y_labels(l.min(8))
        .x_label_formatter(&|v| format!("{}", *v as i64))
        .y_label_formatter(&|v| {
            if (v - v.round()).abs() < 1e-9 {
                format!("{}", v.round() as i64)
            } else {
                String::new()
            }
        })
        .label_style((FONT, 12))
        .draw()
        .map_err(perr)?;
    chart
        .draw_series(labels.iter().enumerate().flat_map(|(li, row)| {
            order.iter().enumerate().map(move |(x, &i)| {
                Rectangle::new(
                    [
                        (x as f64, li as f64 + 0.5),
                        (x as f64 + 1.0, li as f64 + 1.5),
                    ],
                    community_color(row[i]).filled(),
                )
            })
        }))
        .map_err(perr)?;
    Ok(())
}

/// Up to 14 swatches "community c" for the labels present (by size), then "+k more".
fn community_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[Vec<usize>],
) -> Result<()> {
    let mut sizes: std::collections::BTreeMap<usize, usize> = Default::default();
    for &c in labels.iter().flatten() {
        *sizes.entry(c).or_default() += 1;
    }
    // Larger first, ties by label (the map's order): keys are distinct.
    let by_size: Vec<(usize, usize)> =
        crate::linalg::sorted_by(sizes.into_iter().collect(), |a, b| b.1.cmp(&a.1));
    const SHOWN: usize = 14;
    let style = TextStyle::from((FONT, 11).into_font()).color(&BLACK);
    area.draw(&Text::new("community", (4, 34), style.clone()))
        .map_err(perr)?;
    for (k, &(c, _)) in by_size.iter().take(SHOWN).enumerate() {
        let y = 52 + 18 * k as i32;
        area.draw(&Rectangle::new(
            [(4, y), (16, y + 12)],
            community_color(c).filled(),
        ))
        .map_err(perr)?;
        area.draw(&Text::new(format!("{}", c + 1), (22, y), style.clone()))
            .map_err(perr)?;
    }
    if by_size.len() > SHOWN {
        let y = 52 + 18 * SHOWN as i32;
        area.draw(&Text::new(
            format!("+{} more", by_size.len() - SHOWN),
            (4, y),
            style,
        ))
        .map_err(perr)?;
    }
    Ok(())
}

/// Bars of `values` at x = `x0 + k·width` (width `width`), e.g. node
/// flexibility (x = node) or a histogram (x = left bin edge).
///
/// # Errors
/// Empty values or a backend failure.
pub fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    values: &[f64],
    x0: f64,
    width: f64,
    labels: (&str, &str, &str),
    colors: Option<&[RGBColor]>,
) -> Result<()> {
    if values.is_empty() {
        return Err(Error::Shape("no bars to draw".into()));
    }
    let (title, xl, yl) = labels;
    root.fill(&WHITE).map_err(perr)?;
    let (lo, hi) = finite_range(values.iter());
    let (lo, hi) = (lo.min(0.0), if hi > 0.0 { hi * 1.05 } else { 1.0 });
    let width = if width > 0.0 && width.is_finite() {
        width
    } else {
        1.0
    };
    let xs = super::axis(x0, x0 + width * values.len() as f64);
    let (x0, x1) = (xs.start, xs.end);
    let width = (x1 - x0) / values.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, lo..hi)
        .map_err(perr)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(xl)
        .y_desc(yl)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| super::heatmap::format_tick_in(*v, x1 - x0))
        .y_label_formatter(&|v| super::heatmap::format_tick_in(*v, hi - lo))
        .label_style((FONT, 12))
        .draw()
        .map_err(perr)?;
    chart
        .draw_series(values.iter().enumerate().map(|(k, &v)| {
            let c = colors
                .and_then(|c| c.get(k))
                .copied()
                .unwrap_or(RGBColor(49, 104, 142));
            let a = x0 + width * k as f64;
            Rectangle::new(
                [
                    (a, 0.0),
                    (a + width * 0.9, if v.is_finite() { v } else { 0.0 }),
                ],
                c.filled(),
            )
        }))
        .map_err(perr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raster_and_bars_render() {
        let labels = vec![vec![0, 0, 1], vec![0, 1, 1]];
        let svg = crate::plot::to_svg(400, 300, |r| raster(r, &labels, &[0, 1, 2], "t")).unwrap();
        assert!(svg.matches("<rect").count() >= 6 + 2);
        // The key names both communities (labels shown 1-based).
        assert!(svg.contains(">\ncommunity\n<") && svg.contains(">\n2\n<"));
        let svg = crate::plot::to_svg(400, 300, |r| {
            bars(r, &[0.1, 0.5], 0.0, 1.0, ("t", "x", "y"), None)
        })
        .unwrap();
        assert!(svg.matches("<rect").count() >= 2);
        assert!(crate::plot::to_svg(400, 300, |r| raster(r, &labels, &[0], "t")).is_err());
    }
}
