//! `wasm-bindgen-test` tests: the core and the boundary, run in headless
//! Chromium (`make test-wasm`). Native runs skip this file.
#![cfg(target_arch = "wasm32")]

use rnnscope::{ensembles, linalg, wasm};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn same_seed_same_matrix_as_native() {
    // The first entries of gaussian(4, 1.0, 7), printed by the native CLI
    // (`rnnscope random --n 4 --g 1 --seed 7`) and pinned in tests/cli.rs too.
    let w = ensembles::gaussian(4, 1.0, 7).unwrap();
    let native = include_str!("../data/gaussian_n4_g1_seed7.csv");
    let expected = rnnscope::io::parse_csv(native.as_bytes()).unwrap();
    assert_eq!(w, expected, "WASM and native streams differ");
}

#[wasm_bindgen_test]
fn spectral_radius_follows_the_circular_law() {
    let w = ensembles::gaussian(400, 1.5, 11).unwrap();
    let r = linalg::spectral_radius(&linalg::eigenvalues(&w).unwrap());
    assert!((r / 1.5 - 1.0).abs() < 0.1, "radius {r}");
}

#[wasm_bindgen_test]
fn boundary_errors_are_js_errors() {
    let err = match wasm::random_gaussian(0, 1.0, 1) {
        Err(e) => wasm_bindgen::JsValue::from(e),
        Ok(_) => panic!("n = 0 accepted"),
    };
    let err: js_sys::Error = err.dyn_into().expect("a JS Error");
    let msg: String = err.message().into();
    assert!(msg.contains("parameter `n`"), "{msg}");
    assert!(wasm::Matrix::from_bytes(b"1,2\n3\n", None).is_err());
    assert!(wasm::Matrix::new(2, 2, &[1.0, 2.0, 3.0]).is_err());
}

#[wasm_bindgen_test]
fn heatmap_draws_on_a_canvas() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement =
        doc.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(400);
    canvas.set_height(300);
    let m = wasm::random_gaussian(50, 1.0, 2).unwrap();
    wasm::draw_heatmap(canvas.clone(), &m, "W").unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let px = ctx.get_image_data(0.0, 0.0, 400.0, 300.0).unwrap().data();
    let ink = px
        .chunks(4)
        .filter(|p| p[0] < 245 || p[1] < 245 || p[2] < 245)
        .count();
    assert!(
        ink > 400 * 300 / 4,
        "canvas nearly blank: {ink} inked pixels"
    );
}

#[wasm_bindgen_test]
fn containers_read_the_named_array() {
    // W = [[0, 1, 2], [3, 4, 5], [6, 7, 8]] / 8 in every fixture (tests/data/formats).
    let want: Vec<f64> = (0..9).map(|k| f64::from(k) / 8.0).collect();
    let npz = include_bytes!("../data/formats/w.npz");
    let m = wasm::Matrix::from_bytes(npz, Some("W".into())).unwrap();
    assert_eq!((m.rows(), m.cols()), (3, 3));
    assert_eq!(m.data(), want);
    // Two arrays and no name: an error that lists them.
    assert!(wasm::Matrix::from_bytes(npz, None).is_err());
    assert!(wasm::Matrix::from_bytes(npz, Some("nope".into())).is_err());
    let st = include_bytes!("../data/formats/rnn_f32.safetensors");
    let w = wasm::Matrix::from_bytes(st, Some("weight_hh_l0".into())).unwrap();
    assert_eq!(w.data(), want);
    let g = wasm::MotifGraph::from_bytes(st, true, Some("weight_hh_l0".into())).unwrap();
    assert_eq!(g.n(), 3);
    let list = wasm::list_arrays(npz).unwrap();
    assert_eq!(js_sys::Array::from(&list).length(), 2);
    assert_eq!(
        wasm::detect_format(st).unwrap().as_string().as_deref(),
        Some("safetensors")
    );
}
