//! `wasm-bindgen-test` tests of the product layer's boundary: SVG capture of
//! any chart drawn through a canvas, and the 3-D trajectory chart.
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn canvas(w: u32, h: u32) -> web_sys::HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: web_sys::HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    c
}

fn inked(c: &web_sys::HtmlCanvasElement) -> usize {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let px = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data();
    px.chunks(4).filter(|p| p[3] > 0).count()
}

#[wasm_bindgen_test]
fn svg_capture_renders_the_chart_and_leaves_the_canvas_alone() {
    let c = canvas(400, 300);
    let m = wasm::random_gaussian(10, 1.0, 2).unwrap();
    wasm::begin_svg();
    wasm::draw_heatmap(c.clone(), &m, "W").unwrap();
    let svg = wasm::take_svg().unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    assert!(svg.contains(r#"width="400""#) && svg.contains(r#"height="300""#));
    // 100 cells + 64 colour-bar slices + background.
    assert!(svg.matches("<rect").count() >= 165);
    assert_eq!(inked(&c), 0, "capture must not draw on the canvas");
    // Capture is over: the next draw goes to the canvas, and taking again fails.
    assert!(wasm::take_svg().is_err());
    wasm::draw_heatmap(c.clone(), &m, "W").unwrap();
    assert!(inked(&c) > 400 * 300 / 2);
}

#[wasm_bindgen_test]
fn trajectory3d_on_canvas_and_as_svg() {
    let xyz: Vec<f64> = (0..300)
        .flat_map(|k| {
            let t = k as f64 * 0.05;
            [t.cos(), t.sin(), 0.1 * t]
        })
        .collect();
    let c = canvas(400, 360);
    wasm::draw_trajectory3d(c.clone(), &xyz, "", 30.0, 25.0).unwrap();
    assert!(inked(&c) > 400 * 360 / 2);
    wasm::begin_svg();
    wasm::draw_trajectory3d(c.clone(), &xyz, "", 30.0, 25.0).unwrap();
    let svg = wasm::take_svg().unwrap();
    for name in ["PC1", "PC2", "PC3"] {
        assert!(svg.contains(name), "{name} missing");
    }
    assert!(svg.matches("<polyline").count() >= 299);
    assert!(wasm::draw_trajectory3d(c, &[1.0, 2.0], "", 0.0, 0.0).is_err());
}

fn js_message(e: wasm_bindgen::JsError) -> String {
    let v: wasm_bindgen::JsValue = e.into();
    let err: js_sys::Error = v.dyn_into().unwrap();
    String::from(err.message())
}

/// The four `drawLines*` exports (one helper behind them): each draws, names
/// itself in its errors, checks its own extra argument after the series.
#[wasm_bindgen_test]
fn line_chart_exports_draw_and_name_themselves() {
    let xs = [0.0, 1.0, 2.0];
    let ys = [0.0, 1.0, 4.0, 1.0, 2.0, 3.0];
    let bands = [0.1; 6];
    let (names, colors) = ("a\nb", &[0u32, 3][..]);
    let c = canvas(400, 300);
    wasm::draw_lines(c.clone(), "t", "x", "y", &xs, &ys, names, colors).unwrap();
    assert!(inked(&c) > 400 * 300 / 2);
    wasm::begin_svg();
    let marks = [f64::NAN, 2.0, 3.0];
    wasm::draw_lines_bands_marks(
        c.clone(),
        "t",
        "x",
        "y",
        &xs,
        &ys,
        &bands,
        names,
        colors,
        &marks,
        "sig",
    )
    .unwrap();
    let svg = wasm::take_svg().unwrap();
    // Two finite marks plus the legend's marker.
    assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    assert!(svg.contains("sig"), "no legend entry for the marks");
    let err = |r: Result<(), wasm_bindgen::JsError>| js_message(r.unwrap_err());
    assert_eq!(
        err(wasm::draw_lines(
            c.clone(),
            "",
            "",
            "",
            &xs,
            &ys[..5],
            names,
            colors
        )),
        "drawLines: 5 y values for 2 series of 3 points"
    );
    assert_eq!(
        err(wasm::draw_lines_fixed(
            c.clone(),
            "",
            "",
            "",
            &xs,
            &ys,
            names,
            colors,
            1.0,
            1.0
        )),
        "drawLinesFixed: the y-range [1, 1] needs finite y_min < y_max"
    );
    // The series are checked before the range.
    assert_eq!(
        err(wasm::draw_lines_fixed(
            c.clone(),
            "",
            "",
            "",
            &xs,
            &ys[..5],
            names,
            colors,
            f64::NAN,
            1.0
        )),
        "drawLinesFixed: 5 y values for 2 series of 3 points"
    );
    assert_eq!(
        err(wasm::draw_lines_bands(
            c.clone(),
            "",
            "",
            "",
            &xs,
            &ys,
            &bands[..4],
            names,
            colors
        )),
        "drawLinesBands: 6 y values and 4 band values for 2 series of 3 points"
    );
    assert_eq!(
        err(wasm::draw_lines_bands_marks(
            c,
            "",
            "",
            "",
            &xs,
            &ys,
            &bands,
            names,
            colors,
            &marks[..2],
            "sig"
        )),
        "drawLinesBandsMarks: 2 marks for 3 points"
    );
}
