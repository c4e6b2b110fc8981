//! Every chart draws values near ±f64::MAX without panicking (issue 18).
//! Plotters derives its ticks from hi − lo; past f64::MAX that is +inf and its
//! key-point code asserts — in the page a panic would abort the WebAssembly
//! instance, so each chart must keep its drawn span finite.

use ndarray::Array2;
use plotters::style::RGBColor;
use rnnscope::plot::{self, HeatmapOpts, MotifBarsOpts, Series, SpectrumOpts, Trajectory3dOpts};

const BIG: f64 = 1.7e308;

fn svg<F>(draw: F) -> String
where
    F: FnOnce(
        &plotters::drawing::DrawingArea<plotters::backend::SVGBackend, plotters::coord::Shift>,
    ) -> rnnscope::Result<()>,
{
    plot::to_svg(400, 300, draw).expect("chart draws")
}

#[test]
fn bars_span_past_f64_max() {
    // The Modularity panel's activation histogram of activity scaled by 1.7e308.
    let h = rnnscope::stats::histogram(&[-BIG, 0.0, BIG], 40).unwrap();
    assert!(h.edges.iter().all(|e| e.is_finite()), "{:?}", &h.edges[..3]);
    assert_eq!(h.counts.iter().sum::<usize>(), 3);
    assert_eq!((h.counts[0], h.counts[39]), (1, 1));
    let counts: Vec<f64> = h.counts.iter().map(|&c| c as f64).collect();
    let s = svg(|r| {
        plot::bars(
            r,
            &counts,
            h.edges[0],
            h.edges[1] - h.edges[0],
            ("t", "x", "y"),
            None,
        )
    });
    assert!(s.contains("<svg"));
    let s = svg(|r| plot::bars(r, &[BIG, -BIG, 1.0], 0.0, 1.0, ("t", "x", "y"), None));
    assert!(s.contains("<svg"));
}

#[test]
fn heatmap_extreme() {
    let m = Array2::from_shape_vec((2, 2), vec![BIG, -BIG, -BIG, BIG]).unwrap();
    svg(|r| plot::heatmap(r, &m, &HeatmapOpts::default()));
}

#[test]
fn lines_extreme() {
    let series = vec![Series {
        name: "a".into(),
        xs: vec![-BIG, BIG],
        ys: vec![BIG, -BIG],
        color: RGBColor(0, 0, 0),
        band: Some(vec![BIG, BIG]),
        points: false,
    }];
    svg(|r| plot::lines(r, "t", "x", "y", &series));
}

#[test]
fn spectrum_extreme() {
    svg(|r| plot::spectrum(r, &[(BIG, -BIG), (-BIG, BIG)], &SpectrumOpts::default()));
}

#[test]
fn motif_bars_extreme() {
    let mut v = [0.0; 13];
    v[0] = BIG;
    v[1] = -BIG;
    svg(|r| plot::motif_bars(r, &v, &MotifBarsOpts::default()).map(|_| ()));
    let opts = MotifBarsOpts {
        log: true,
        ..MotifBarsOpts::default()
    };
    svg(|r| plot::motif_bars(r, &v, &opts).map(|_| ()));
}

#[test]
fn trajectory_extreme() {
    svg(|r| {
        plot::trajectory3d(
            r,
            &[(BIG, -BIG, BIG), (-BIG, BIG, -BIG)],
            &Trajectory3dOpts::default(),
        )
    });
}
