//! The familiarity stream as a picture: items over time as columns of ±1
//! cells, with repeats marked in a strip above (HebbFF task preview).

use super::{perr, FONT};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draw `t` items of dimension `n` (`x` T×N row-major, ±1) and labels `y`.
/// Only the first `max_rows` input dimensions are drawn.
///
/// # Errors
/// Sizes that do not match, an empty stream, or a backend failure.
pub fn stream<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    n: usize,
    x: &[f64],
    y: &[f64],
    max_rows: usize,
    title: &str,
) -> Result<()> {
    let t = y.len();
    if t == 0 || n == 0 || x.len() != t * n {
        return Err(Error::Shape(format!(
            "stream plot: {} values for {t} items of dimension {n}",
            x.len()
        )));
    }
    let rows = n.min(max_rows.max(1));
    root.fill(&WHITE).map_err(perr)?;
    let strip = 3.0; // rows of the repeat strip
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f64..t as f64, (rows as f64)..(-strip - 0.5))
        .map_err(perr)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("item t")
        .y_desc("input unit")
        .x_labels(8)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{}", *v as i64))
        .y_label_formatter(&|v| {
            if *v < 0.0 {
                String::new()
            } else {
                format!("{}", *v as i64)
            }
        })
        .label_style((FONT, 12))
        .draw()
        .map_err(perr)?;
    let on = RGBColor(40, 40, 40);
    let off = RGBColor(235, 235, 235);
    let mut cells = Vec::with_capacity(t * rows);
    for s in 0..t {
        for j in 0..rows {
            let c = if x[s * n + j] > 0.0 { on } else { off };
            cells.push(Rectangle::new(
                [(s as f64, j as f64), (s as f64 + 1.0, j as f64 + 1.0)],
                c.filled(),
            ));
        }
        let mark = if y[s] > 0.5 {
            RGBColor(214, 39, 40)
        } else {
            RGBColor(200, 220, 240)
        };
        cells.push(Rectangle::new(
            [(s as f64, -strip - 0.5), (s as f64 + 1.0, -0.5)],
            mark.filled(),
        ));
    }
    chart.draw_series(cells).map_err(perr)?;
    root.draw(&Text::new(
        "red = repeat (y = 1)",
        (60, 30),
        (FONT, 12).into_font().color(&RGBColor(214, 39, 40)),
    ))
    .map_err(perr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::to_svg;

    #[test]
    fn draws_repeats_in_red_and_rejects_bad_sizes() {
        let x = vec![1.0, -1.0, 1.0, -1.0, 1.0, -1.0];
        let svg = to_svg(300, 200, |r| stream(r, 2, &x, &[0.0, 0.0, 1.0], 10, "s")).unwrap();
        assert!(
            svg.contains("#D62728") || svg.contains("rgb(214,39,40)"),
            "no repeat mark"
        );
        assert!(to_svg(300, 200, |r| stream(r, 2, &x, &[0.0, 1.0], 10, "s")).is_err());
    }
}
