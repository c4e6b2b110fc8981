//! Motif bar chart: one bar per motif (ids 1–13) coloured by stability level,
//! with each motif's glyph drawn small under its bar, and a small network
//! drawing that highlights motif instances.

use super::{perr, FONT};
use crate::error::{Error, Result};
use crate::motifs::{motif_levels, MOTIFS};
use plotters::coord::Shift;
use plotters::prelude::*;

macro_rules! mesh {
    ($chart:expr, $y_label:expr) => {
        $chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_x_axis()
            .y_desc($y_label)
            .y_labels(6)
            .y_label_formatter(&|v| super::heatmap::format_tick(*v))
            .label_style((FONT, 11))
            .draw()
            .map_err(perr)
    };
}

/// Colour of stability level 1, 2, 3: Okabe–Ito blue and orange and Paul
/// Tol's wine, chosen so the three differ in lightness (L* ≈ 46, 73, 31) and
/// stay apart under deuteranopia, protanopia and in greyscale.
pub fn level_color(level: u8) -> RGBColor {
    match level {
        1 => RGBColor(0x00, 0x72, 0xB2),
        2 => RGBColor(0xE6, 0x9F, 0x00),
        _ => RGBColor(0x88, 0x22, 0x55),
    }
}

/// Options for [`motif_bars`].
#[derive(Debug, Clone, Default)]
pub struct MotifBarsOpts {
    /// Caption drawn above the bars.
    pub title: String,
    /// Name of the y axis (e.g. "count" or "z-score").
    pub y_label: String,
    /// Logarithmic y axis (counts spanning many decades); values ≤ 0 get no bar.
    pub log: bool,
    /// Highlight this motif index (0–12) with a frame.
    pub selected: Option<usize>,
}

/// Draw 13 values as bars with motif glyphs. NaN values are drawn as "n/a".
///
/// Returns the pixel x-range `(left, right)` of the plotting area relative to
/// `root`, so a caller can map a click to a motif: index = ⌊13·(x − left)/(right − left)⌋.
///
/// # Errors
/// A backend failure.
pub fn motif_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    values: &[f64; 13],
    opts: &MotifBarsOpts,
) -> Result<(f64, f64)> {
    root.fill(&WHITE).map_err(perr)?;
    let levels = motif_levels();
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = if opts.log {
        let top = finite.iter().copied().fold(1.0f64, f64::max);
        (0.5, (top * 2.0).min(super::AXIS_LIMIT))
    } else {
        let lim = super::AXIS_LIMIT;
        let lo = finite.iter().copied().fold(0.0f64, f64::min).max(-lim);
        let hi = finite.iter().copied().fold(0.0f64, f64::max).min(lim);
        let pad = ((hi - lo) * 0.08).max(1e-9);
        (
            if lo < 0.0 { lo - pad } else { 0.0 },
            if hi > 0.0 { hi + pad } else { pad },
        )
    };
    let (w, h) = root.dim_in_pixel();
    let glyph_h = (h as f64 * 0.16).clamp(30.0, 56.0) as u32 + 12;
    let (upper, lower) = root.split_vertically(h.saturating_sub(glyph_h + 18));
    let y_area = 60;
    let draw_bars = |chart_area: &DrawingArea<DB, Shift>| -> Result<(f64, f64)> {
        let mut b = ChartBuilder::on(chart_area);
        b.caption(&opts.title, (FONT, 16))
            .margin(8)
            .x_label_area_size(18)
            .y_label_area_size(y_area);
        let x_range = 0f64..13f64;
        let map_x =
            if opts.log {
                let mut chart = b
                    .build_cartesian_2d(x_range, (lo..hi).log_scale())
                    .map_err(perr)?;
                mesh!(chart, opts.y_label.as_str())?;
                chart
                    .draw_series(values.iter().enumerate().filter(|(_, v)| **v > 0.0).map(
                        |(m, &v)| {
                            Rectangle::new(
                                [(m as f64 + 0.15, lo), (m as f64 + 0.85, v)],
                                level_color(levels[m]).filled(),
                            )
                        },
                    ))
                    .map_err(perr)?;
                (
                    chart.backend_coord(&(0.0, lo)).0,
                    chart.backend_coord(&(13.0, lo)).0,
                )
            } else {
                let mut chart = b.build_cartesian_2d(x_range, lo..hi).map_err(perr)?;
                mesh!(chart, opts.y_label.as_str())?;
                chart
                    .draw_series(
                        values
                            .iter()
                            .enumerate()
                            .filter(|(_, v)| v.is_finite())
                            .map(|(m, &v)| {
                                Rectangle::new(
                                    [(m as f64 + 0.15, 0.0), (m as f64 + 0.85, v)],
                                    level_color(levels[m]).filled(),
                                )
                            }),
                    )
                    .map_err(perr)?;
                chart
                    .draw_series(LineSeries::new(
                        [(0.0, 0.0), (13.0, 0.0)],
                        BLACK.stroke_width(1),
                    ))
                    .map_err(perr)?;
                (
                    chart.backend_coord(&(0.0, 0.0)).0,
                    chart.backend_coord(&(13.0, 0.0)).0,
                )
            };
        Ok((map_x.0 as f64, map_x.1 as f64))
    };
    let (x0, x1) = draw_bars(&upper)?;
    let base = root.get_base_pixel();
    let (x0, x1) = (x0 - base.0 as f64, x1 - base.0 as f64);
    // Glyphs and names under the bars.
    let cell = (x1 - x0) / 13.0;
    let r = (cell * 0.32).min(glyph_h as f64 * 0.4).max(6.0);
    let (lw, _) = lower.dim_in_pixel();
    let _ = lw;
    for (m, motif) in MOTIFS.iter().enumerate() {
        let cx = x0 + cell * (m as f64 + 0.5);
        let cy = 6.0 + r;
        if opts.selected == Some(m) {
            lower
                .draw(&Rectangle::new(
                    [
                        ((cx - cell / 2.0 + 1.0) as i32, 1),
                        ((cx + cell / 2.0 - 1.0) as i32, (glyph_h + 16) as i32),
                    ],
                    BLACK.stroke_width(2),
                ))
                .map_err(perr)?;
        }
        glyph(&lower, motif.edges, (cx, cy), r, &level_color(levels[m]))?;
        // The level as a digit inside the glyph, so it never rests on colour alone.
        lower
            .draw(&Text::new(
                levels[m].to_string(),
                (cx as i32, (cy + r * 0.15) as i32),
                (FONT, 10)
                    .into_font()
                    .color(&BLACK)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    )),
            ))
            .map_err(perr)?;
        // Names alternate between two rows so neighbours never overlap.
        let size = if cell < 48.0 { 10 } else { 11 };
        let dy = if cell < 48.0 && m % 2 == 1 { 12.0 } else { 0.0 };
        lower
            .draw(&Text::new(
                motif.name.to_string(),
                (cx as i32, (cy + r + 3.0 + dy) as i32),
                (FONT, size)
                    .into_font()
                    .color(&BLACK)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Top,
                    )),
            ))
            .map_err(perr)?;
        if !values[m].is_finite() {
            upper
                .draw(&Text::new(
                    "n/a",
                    ((cx - 8.0) as i32, (h as i32 - glyph_h as i32 - 50).max(20)),
                    (FONT, 10),
                ))
                .map_err(perr)?;
        }
    }
    // Level legend, top right.
    for l in 1..=3u8 {
        let y = 32 + 15 * (l as i32 - 1);
        let x = w as i32 - 72;
        root.draw(&Rectangle::new(
            [(x, y), (x + 10, y + 10)],
            level_color(l).filled(),
        ))
        .map_err(perr)?;
        root.draw(&Text::new(format!("level {l}"), (x + 14, y), (FONT, 11)))
            .map_err(perr)?;
    }
    Ok((x0, x1))
}

/// Positions of the glyph's nodes 0, 1, 2 (0 bottom-left, 1 top, 2 bottom-right).
fn glyph_nodes((cx, cy): (f64, f64), r: f64) -> [(f64, f64); 3] {
    [
        (cx - r, cy + 0.6 * r),
        (cx, cy - 0.75 * r),
        (cx + r, cy + 0.6 * r),
    ]
}

/// Draw a motif's edges as arrows between three dots.
fn glyph<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    edges: &[(u8, u8)],
    c: (f64, f64),
    r: f64,
    color: &RGBColor,
) -> Result<()> {
    let p = glyph_nodes(c, r);
    let node_r = (r * 0.14).max(2.0);
    for &(a, b) in edges {
        let mutual = edges.contains(&(b, a));
        arrow(
            area,
            p[a as usize],
            p[b as usize],
            node_r,
            if mutual { r * 0.09 } else { 0.0 },
            &BLACK,
        )?;
    }
    for q in p {
        area.draw(&Circle::new(
            (q.0 as i32, q.1 as i32),
            node_r as i32,
            color.filled(),
        ))
        .map_err(perr)?;
    }
    Ok(())
}

/// An arrow from `a` to `b`, shortened by `gap` at both ends and shifted
/// sideways by `offset` (so the two arrows of a mutual pair do not overlap).
fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (f64, f64),
    b: (f64, f64),
    gap: f64,
    offset: f64,
    color: &RGBColor,
) -> Result<()> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (nx, ny) = (-uy * offset, ux * offset);
    let s = (a.0 + ux * gap + nx, a.1 + uy * gap + ny);
    let e = (b.0 - ux * gap * 1.3 + nx, b.1 - uy * gap * 1.3 + ny);
    area.draw(&PathElement::new(
        vec![(s.0 as i32, s.1 as i32), (e.0 as i32, e.1 as i32)],
        color.stroke_width(1),
    ))
    .map_err(perr)?;
    let head = (gap * 1.6).max(4.0);
    let (bx, by) = (e.0 - ux * head, e.1 - uy * head);
    let tri = vec![
        (e.0 as i32, e.1 as i32),
        ((bx - uy * head * 0.5) as i32, (by + ux * head * 0.5) as i32),
        ((bx + uy * head * 0.5) as i32, (by - ux * head * 0.5) as i32),
    ];
    area.draw(&Polygon::new(tri, color.filled()))
        .map_err(perr)?;
    Ok(())
}

/// Largest N drawn by [`motif_network`].
pub const NETWORK_MAX_N: usize = 300;

/// Draw a small directed network on a circle, highlighting `highlight`
/// triples (their nodes and the edges among them) in `level`'s colour.
///
/// # Errors
/// N > [`NETWORK_MAX_N`], an edge or triple naming a node ≥ N, or a backend failure.
pub fn motif_network<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    n: usize,
    edges: &[(usize, usize)],
    highlight: &[[usize; 3]],
    level: u8,
    title: &str,
) -> Result<()> {
    if n > NETWORK_MAX_N {
        return Err(Error::TooLarge {
            what: "N for the network drawing",
            got: n,
            limit: NETWORK_MAX_N,
        });
    }
    if let Some(&(i, j)) = edges.iter().find(|&&(i, j)| i >= n || j >= n) {
        return Err(Error::Shape(format!(
            "edge {i} → {j} names a node ≥ N = {n}"
        )));
    }
    if highlight.iter().flatten().any(|&u| u >= n) {
        return Err(Error::Shape(format!("a highlighted node is ≥ N = {n}")));
    }
    root.fill(&WHITE).map_err(perr)?;
    let (w, h) = root.dim_in_pixel();
    root.draw(&Text::new(title.to_string(), (8, 6), (FONT, 15)))
        .map_err(perr)?;
    let (cx, cy) = (w as f64 / 2.0, (h as f64 + 20.0) / 2.0);
    let rad = (w.min(h.saturating_sub(24)) as f64 / 2.0 - 16.0).max(10.0);
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let t = 2.0 * std::f64::consts::PI * k as f64 / n.max(1) as f64
                - std::f64::consts::FRAC_PI_2;
            (cx + rad * t.cos(), cy + rad * t.sin())
        })
        .collect();
    let mut hot_node = vec![false; n];
    let mut hot_edge = std::collections::HashSet::new();
    for t in highlight {
        for &u in t {
            hot_node[u] = true;
        }
        for &a in t {
            for &b in t {
                hot_edge.insert((a, b));
            }
        }
    }
    let hot = level_color(level);
    let node_r = (rad * 2.0 * std::f64::consts::PI / n.max(1) as f64 * 0.3).clamp(2.0, 7.0);
    let grey = RGBColor(190, 190, 190);
    for pass in 0..2 {
        for &(i, j) in edges {
            let is_hot = hot_edge.contains(&(i, j));
            if (pass == 1) != is_hot || i == j {
                continue;
            }
            let mutual = edges.contains(&(j, i));
            arrow(
                root,
                pos[i],
                pos[j],
                node_r,
                if mutual { 2.0 } else { 0.0 },
                if is_hot { &hot } else { &grey },
            )?;
        }
    }
    for (k, &p) in pos.iter().enumerate() {
        let c = if hot_node[k] {
            hot
        } else {
            RGBColor(90, 90, 90)
        };
        root.draw(&Circle::new(
            (p.0 as i32, p.1 as i32),
            node_r as i32,
            c.filled(),
        ))
        .map_err(perr)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_network_render() {
        let mut v = [0.0; 13];
        for (m, x) in v.iter_mut().enumerate() {
            *x = (m * m) as f64;
        }
        v[3] = f64::NAN;
        let svg = crate::plot::to_svg(700, 320, |root| {
            let (a, b) = motif_bars(
                root,
                &v,
                &MotifBarsOpts {
                    title: "t".into(),
                    log: true,
                    selected: Some(2),
                    ..Default::default()
                },
            )?;
            assert!(a < b);
            Ok(())
        })
        .unwrap();
        assert!(svg.contains("021U") && svg.contains("300") && svg.contains("n/a"));
        let svg = crate::plot::to_svg(300, 300, |root| {
            motif_network(
                root,
                5,
                &[(0, 1), (1, 2), (2, 0), (3, 4)],
                &[[0, 1, 2]],
                3,
                "net",
            )
        })
        .unwrap();
        assert!(svg.matches("<circle").count() >= 5);
        let e = crate::plot::to_svg(300, 300, |root| {
            motif_network(root, 2, &[(0, 5)], &[], 1, "")
        });
        assert!(e.is_err());
    }
}
