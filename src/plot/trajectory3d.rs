//! A 3-D trajectory (e.g. activity projected on three principal components),
//! drawn with plotters' 3-D Cartesian chart and a rotatable projection.

use super::{finite_range, perr, FONT};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Options for [`trajectory3d`].
#[derive(Debug, Clone)]
pub struct Trajectory3dOpts {
    /// Caption drawn above the plot.
    pub title: String,
    /// Axis names, drawn at the far end of each axis (e.g. PC1, PC2, PC3).
    pub labels: [String; 3],
    /// Rotation about the vertical axis, radians.
    pub yaw: f64,
    /// Tilt towards the viewer, radians.
    pub pitch: f64,
}

impl Default for Trajectory3dOpts {
    fn default() -> Self {
        Trajectory3dOpts {
            title: String::new(),
            labels: ["PC1".into(), "PC2".into(), "PC3".into()],
            yaw: 0.6,
            pitch: 0.3,
        }
    }
}

/// The data's range with 5 % padding. A (nearly) constant coordinate — e.g.
/// activity at rest at a fixed point — gets a span of at least 10 % of its
/// magnitude (and 10⁻³), so the tick labels stay distinct.
fn padded(vals: &[f64]) -> std::ops::Range<f64> {
    let (lo, hi) = finite_range(vals.iter());
    let pad = ((hi - lo) * 0.05)
        .max(0.05 * lo.abs().max(hi.abs()))
        .max(5e-4);
    (lo - pad)..(hi + pad)
}

/// Draw `pts` (x, y, z) as one path, oldest first, fading from light to dark
/// blue so the direction of time is visible, with the last point marked.
///
/// The chart's x axis is the first coordinate, plotters' vertical axis (y)
/// the third, and depth (z) the second, so PC3 points up.
///
/// # Errors
/// No finite point, or a backend failure.
///
/// # Complexity
/// O(len) drawing operations.
pub fn trajectory3d<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: &[(f64, f64, f64)],
    opts: &Trajectory3dOpts,
) -> Result<()> {
    let pts: Vec<(f64, f64, f64)> = pts
        .iter()
        .copied()
        .filter(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite())
        .collect();
    if pts.is_empty() {
        return Err(Error::Shape(
            "a 3-D trajectory needs at least one finite point".into(),
        ));
    }
    root.fill(&WHITE).map_err(perr)?;
    let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
    let zs: Vec<f64> = pts.iter().map(|p| p.2).collect();
    let (rx, rz, ry) = (padded(&xs), padded(&ys), padded(&zs));
    let mut chart = ChartBuilder::on(root)
        .caption(&opts.title, (FONT, 16))
        .margin(12)
        .build_cartesian_3d(rx.clone(), ry.clone(), rz.clone())
        .map_err(perr)?;
    let (yaw, pitch) = (opts.yaw, opts.pitch);
    chart.with_projection(|mut pb| {
        pb.yaw = yaw;
        pb.pitch = pitch;
        pb.scale = 0.8;
        pb.into_matrix()
    });
    chart
        .configure_axes()
        .light_grid_style(BLACK.mix(0.08))
        .max_light_lines(3)
        .x_labels(4)
        .y_labels(4)
        .z_labels(4)
        .label_style((FONT, 11))
        .x_formatter(&|v| super::heatmap::format_tick_in(*v, rx.end - rx.start))
        .y_formatter(&|v| super::heatmap::format_tick_in(*v, ry.end - ry.start))
        .z_formatter(&|v| super::heatmap::format_tick_in(*v, rz.end - rz.start))
        .draw()
        .map_err(perr)?;
    // Axis names just beyond the outer end of each axis (plotters' 3-D axes
    // have no descriptions), in bold so they stand apart from tick labels.
    let style =
        TextStyle::from((FONT, 15, FontStyle::Bold).into_font()).color(&RGBColor(31, 119, 180));
    let ext = |r: &std::ops::Range<f64>| r.end + 0.12 * (r.end - r.start);
    let names = [
        (opts.labels[0].as_str(), (ext(&rx), ry.start, rz.start)),
        (opts.labels[2].as_str(), (rx.start, ext(&ry), rz.start)),
        (opts.labels[1].as_str(), (rx.start, ry.start, ext(&rz))),
    ];
    chart
        .draw_series(
            names
                .iter()
                .map(|(s, p)| Text::new(s.to_string(), *p, style.clone())),
        )
        .map_err(perr)?;
    // Segments shaded by age: light (old) → dark (new).
    let n = pts.len();
    let shade = |k: usize| {
        let f = if n > 1 {
            k as f64 / (n - 1) as f64
        } else {
            1.0
        };
        let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
        RGBColor(mix(174.0, 8.0), mix(199.0, 48.0), mix(232.0, 107.0))
    };
    chart
        .draw_series(pts.windows(2).enumerate().map(|(k, w)| {
            PathElement::new(
                vec![(w[0].0, w[0].2, w[0].1), (w[1].0, w[1].2, w[1].1)],
                shade(k + 1).stroke_width(2),
            )
        }))
        .map_err(perr)?;
    let last = pts[n - 1];
    chart
        .draw_series(std::iter::once(Circle::new(
            (last.0, last.2, last.1),
            4,
            RGBColor(214, 39, 40).filled(),
        )))
        .map_err(perr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_axis_names_and_the_path() {
        // A helix: 200 points, every one drawn as a segment.
        let pts: Vec<_> = (0..200)
            .map(|k| {
                let t = k as f64 * 0.1;
                (t.cos(), t.sin(), t * 0.05)
            })
            .collect();
        let svg = crate::plot::to_svg(500, 400, |root| {
            trajectory3d(root, &pts, &Trajectory3dOpts::default())
        })
        .unwrap();
        for name in ["PC1", "PC2", "PC3"] {
            assert!(
                svg.contains(&format!(">\n{name}\n</text>")),
                "{name} missing"
            );
        }
        // 199 segments of the path, each a <polyline> (plus axis lines).
        assert!(svg.matches("<polyline").count() >= 199);
        // Newest segment is the darkest blue, the end marker red.
        assert!(svg.to_uppercase().contains("#08306B"));
        assert!(svg.contains("<circle"));
        // Rotation changes the picture.
        let rot = crate::plot::to_svg(500, 400, |root| {
            trajectory3d(
                root,
                &pts,
                &Trajectory3dOpts {
                    yaw: 2.0,
                    ..Default::default()
                },
            )
        })
        .unwrap();
        assert_ne!(svg, rot);
        assert!(trajectory3d(
            &SVGBackend::with_string(&mut String::new(), (100, 100)).into_drawing_area(),
            &[(f64::NAN, 0.0, 0.0)],
            &Trajectory3dOpts::default()
        )
        .is_err());
    }
}
