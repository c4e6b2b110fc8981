//! The WebAssembly boundary — the only code with `#[wasm_bindgen]`, split by
//! domain. No algorithm lives here: every export converts JS values to a
//! core call's arguments (or one params object) and the core's result back
//! (typed arrays for bulk numbers, plain JS objects via `serde-wasm-bindgen`
//! for structured results).
//!
//! - this file: the panic hook, the core-error → JS `Error` conversion, the
//!   [`Matrix`] handle and small argument checks shared by the domains;
//! - [`backend`]: the page's drawing backend (canvas, or SVG for export);
//! - [`charts`]: generic charts (heatmaps, spectra, lines, bars, rasters);
//! - [`motifs`], [`dynamics`], [`training`], [`rl`], [`modularity`], [`hebbff`], [`learning`]:
//!   one file per analysis domain;
//! - three page modules from one crate: cargo features `web-core` (motifs,
//!   dynamics, modularity, charts, CSV/NPY import; loaded at start-up),
//!   `web-models` (HebbFF, training, RL, learning; loaded on demand) and
//!   `web-import` (NPZ, safetensors, MAT for the import dialog; on demand),
//!   all by default (tests, bench);
//! - `bench` (cargo feature `bench`, not in the page build): entry points for
//!   `make bench`.
//!
//! A panic hook records the panic message in `globalThis.__rnnscopePanic` (and
//! the console) before the trap, so the page's loader can report it and
//! re-instantiate the module (see `www/js/wasm.js`).

// The page loads three modules built from this crate with different features
// (scripts/build-wasm.sh): `web-core` (www/pkg/rnnscope.js: motifs,
// dynamics, modularity, every chart, CSV/NPY reading) at start-up,
// `web-models` (www/pkg/rnnscope_models.js: HebbFF, training, RL, rich/lazy
// learning, curl descent) when a panel first needs it, and `web-import`
// (www/pkg/rnnscope_import.js: the container readers — NPZ, safetensors, MAT —
// for the import dialog) when a container file is imported. Tests and
// `make bench` build all three into one module (the default features).
#[cfg(feature = "web-core")]
pub mod backend;
#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "web-core")]
pub mod charts;
#[cfg(feature = "web-core")]
pub mod dynamics;
#[cfg(feature = "web-models")]
pub mod hebbff;
#[cfg(feature = "web-models")]
pub mod learning;
#[cfg(feature = "web-core")]
pub mod modularity;
#[cfg(feature = "web-core")]
pub mod motifs;
#[cfg(feature = "web-models")]
pub mod rl;
#[cfg(feature = "web-models")]
pub mod training;

// Every export also at `rnnscope::wasm::*` (one flat namespace, as in JS).
#[cfg(feature = "web-core")]
pub use backend::*;
#[cfg(feature = "bench")]
pub use bench::*;
#[cfg(feature = "web-core")]
pub use charts::*;
#[cfg(feature = "web-core")]
pub use dynamics::*;
#[cfg(feature = "web-models")]
pub use hebbff::*;
#[cfg(feature = "web-models")]
pub use learning::*;
#[cfg(feature = "web-core")]
pub use modularity::*;
#[cfg(feature = "web-core")]
pub use motifs::*;
#[cfg(feature = "web-models")]
pub use training::*;

use crate::{io, Error};
use js_sys::Reflect;
use ndarray::Array2;
use wasm_bindgen::prelude::*;
#[cfg(any(feature = "web-core", feature = "web-models"))]
use wasm_bindgen::JsCast;

/// What every export returns: a core error becomes a JS `Error` with its message.
pub type JsResult<T> = std::result::Result<T, JsError>;

/// A core error as a JS `Error` (same message).
pub(crate) fn js(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("rnnscope internal error (please report): {info}");
        let _ = Reflect::set(
            &js_sys::global(),
            &"__rnnscopePanic".into(),
            &msg.clone().into(),
        );
        web_sys::console::error_1(&msg.into());
    }));
}

/// Deliberately panic — used by the tests that prove a panic becomes a JS
/// error and the page recovers.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic() {
    panic!("debugPanic called");
}

/// A dense matrix owned by WebAssembly memory (row-major).
#[wasm_bindgen]
pub struct Matrix {
    pub(crate) inner: Array2<f64>,
}

impl Matrix {
    pub(crate) fn wrap(inner: Array2<f64>) -> Matrix {
        Matrix { inner }
    }
}

#[wasm_bindgen]
impl Matrix {
    /// Build from row-major `data` of length `rows × cols`.
    #[wasm_bindgen(constructor)]
    pub fn new(rows: usize, cols: usize, data: &[f64]) -> JsResult<Matrix> {
        io::check_limits(&[rows, cols]).map_err(js)?;
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(JsError::new(&format!(
                "matrix data has {} numbers but {rows} × {cols} needs {}",
                data.len(),
                rows.saturating_mul(cols)
            )));
        }
        if let Some(i) = data.iter().position(|v| !v.is_finite()) {
            return Err(JsError::new(&format!(
                "entry ({}, {}) is {}; NaN and Inf are not allowed",
                i / cols.max(1) + 1,
                i % cols.max(1) + 1,
                data[i]
            )));
        }
        Array2::from_shape_vec((rows, cols), data.to_vec())
            .map(Matrix::wrap)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Parse an uploaded file's bytes (CSV, NPY, NPZ, safetensors or MAT v5,
    /// sniffed). `name` picks one array inside a container (see
    /// `listArrays`); without it a container must hold exactly one
    /// readable array (the error lists them otherwise). The page's start-up
    /// module reads CSV and NPY only ([`read_matrix_bytes`]).
    #[cfg(any(feature = "web-core", feature = "web-import"))]
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], name: Option<String>) -> JsResult<Matrix> {
        read_matrix_bytes(bytes, name.as_deref())
            .map(Matrix::wrap)
            .map_err(js)
    }

    /// Number of rows (samples T for activity, N for a square weight matrix).
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.inner.nrows()
    }

    /// Number of columns (units M for activity).
    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.inner.ncols()
    }

    /// Row-major copy of the entries.
    pub fn data(&self) -> Vec<f64> {
        self.inner.iter().copied().collect()
    }

    /// A new matrix, the transpose (e.g. a networkx/BCT A[i][j] = i → j read
    /// as an RNN W[i][j] = j → i).
    pub fn transpose(&self) -> Matrix {
        Matrix::wrap(self.inner.t().to_owned())
    }

    /// The matrix as CSV text (full precision, `\n` line ends), for download.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> String {
        io::write_csv(&self.inner)
    }

    /// The matrix as a NumPy `.npy` file (little-endian float64, C order), for download.
    #[wasm_bindgen(js_name = toNpy)]
    pub fn to_npy(&self) -> JsResult<Vec<u8>> {
        io::write_npy(&self.inner).map_err(js)
    }
}

#[cfg(any(feature = "web-core", feature = "web-import"))]
/// Bytes → matrix: every format (NPZ, safetensors, MAT too) where the
/// import module is built in (`web-import`: the import module, tests,
/// bench); CSV and NPY only in the page's start-up module, which then
/// carries no container reader (the import dialog converts a container's
/// array to NPY first, in the import module).
pub(crate) fn read_matrix_bytes(bytes: &[u8], name: Option<&str>) -> crate::Result<Array2<f64>> {
    #[cfg(feature = "web-import")]
    return io::read_matrix_named(bytes, name);
    #[cfg(not(feature = "web-import"))]
    return io::read_matrix_plain(bytes, name);
}

/// [`read_matrix_bytes`] for a square matrix.
#[cfg(feature = "web-core")]
pub(crate) fn read_square_bytes(bytes: &[u8], name: Option<&str>) -> crate::Result<Array2<f64>> {
    let m = read_matrix_bytes(bytes, name)?;
    io::check_square(&m)?;
    Ok(m)
}

#[cfg(feature = "web-core")]
/// Pairs → `[a0, b0, a1, b1, …]`.
pub(crate) fn interleave(pairs: &[(f64, f64)]) -> Vec<f64> {
    pairs.iter().flat_map(|&(a, b)| [a, b]).collect()
}

#[cfg(feature = "web-core")]
/// `[a0, b0, a1, b1, …]` → pairs.
pub(crate) fn pairs(interleaved: &[f64]) -> Vec<(f64, f64)> {
    interleaved.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

#[cfg(feature = "web-core")]
/// An N × N matrix from row-major JS numbers.
pub(crate) fn square(n: usize, data: &[f64]) -> JsResult<Array2<f64>> {
    Array2::from_shape_vec((n, n), data.to_vec()).map_err(|_| {
        JsError::new(&format!(
            "expected {n}×{n} = {} numbers, got {}",
            n.saturating_mul(n),
            data.len()
        ))
    })
}

#[cfg(feature = "web-core")]
/// JS numbers as indices, each an integer in `0..bound` (`what` names them
/// in the error).
pub(crate) fn as_indices(v: &[f64], bound: usize, what: &str) -> JsResult<Vec<usize>> {
    v.iter()
        .map(|&x| {
            if x >= 0.0 && x.fract() == 0.0 && x < bound as f64 {
                Ok(x as usize)
            } else {
                Err(JsError::new(&format!(
                    "{what}: {x} is not an integer in 0..{bound}"
                )))
            }
        })
        .collect()
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// A plain JS object `{name: value, …}` (for structured results whose
/// fields are typed arrays).
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsResult<JsValue> {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v)
            .map_err(|_| JsError::new("cannot build the result object"))?;
    }
    Ok(o.into())
}

/// A core result struct as a plain JS object via serde (maps as objects,
/// NaN kept as NaN).
pub(crate) fn to_js<T: serde::Serialize>(v: &T) -> JsResult<JsValue> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    v.serialize(&s).map_err(|e| JsError::new(&e.to_string()))
}

#[cfg(feature = "web-models")]
/// A core report as JSON text (the page parses it; small, not a hot path).
pub(crate) fn json_text<T: serde::Serialize>(v: &T) -> JsResult<String> {
    serde_json::to_string(v).map_err(|e| JsError::new(&e.to_string()))
}

#[cfg(feature = "web-models")]
/// The steps a core run's `advance(k)` did, as a JS number.
pub(crate) fn advanced(done: crate::Result<u64>) -> JsResult<f64> {
    done.map(|d| d as f64).map_err(js)
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// One params object from JS into the core's params type (serde; wrong
/// types are errors naming `what`, and so is a top-level key `T` does not
/// declare — serde-wasm-bindgen alone reads only the declared keys and would
/// ignore a misspelt one).
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(what: &str, v: JsValue) -> JsResult<T> {
    from_js_nested(what, v, &[])
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// A params object with nested params objects: the key of each in the
/// parent and the fields its type declares (`struct_fields::<Inner>`).
pub(crate) type Nested = (&'static str, fn() -> &'static [&'static str]);

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// [`from_js`] for a type with nested params objects (`nested`): an
/// unknown key inside one of them is refused too, named by its path
/// (serde-wasm-bindgen would skip it, `deny_unknown_fields` or not).
pub(crate) fn from_js_nested<T: serde::de::DeserializeOwned>(
    what: &str,
    v: JsValue,
    nested: &[Nested],
) -> JsResult<T> {
    check_keys(what, "", &v, struct_fields::<T>())?;
    for &(key, fields) in nested {
        if v.is_object() {
            let inner = Reflect::get(&v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
            check_keys(what, &format!("{key}."), &inner, fields())?;
        }
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// The top-level field names serde's derive declares for `T`, read by a
/// deserializer that records the `fields` of `deserialize_struct` and stops
/// (empty for types that are not plain structs).
pub(crate) fn struct_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("probe"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probe"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// serde-wasm-bindgen reads only a struct's declared keys, so a misspelt key
/// would be ignored silently: refuse any key of the object `v` not in
/// `fields` (nothing to check when `fields` is empty or `v` is not a plain
/// object).
///
/// # Errors
/// The first unknown key, named with `what` and its path (`prefix`), and the
/// keys allowed there.
fn check_keys(what: &str, prefix: &str, v: &JsValue, fields: &[&str]) -> JsResult<()> {
    if fields.is_empty() || !v.is_object() || js_sys::Array::is_array(v) {
        return Ok(());
    }
    for k in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
        if let Some(k) = k.as_string() {
            if !fields.contains(&k.as_str()) {
                return Err(JsError::new(&format!(
                    "{what}: unknown key `{prefix}{k}` (expected one of: {})",
                    fields.join(", ")
                )));
            }
        }
    }
    Ok(())
}

#[cfg(any(feature = "web-core", feature = "web-models"))]
/// A JS-supplied count checked against `max` before anything is allocated
/// from it (`what` names it in the error).
pub(crate) fn count(what: &'static str, k: usize, max: usize) -> JsResult<usize> {
    crate::error::check_size(what, k, 0, max).map_err(js)
}

/// The file's detected format: `"csv"`, `"npy"`, `"npz"`, `"safetensors"` or
/// `"mat"` (sniffed from the first bytes, as the CLI does).
#[cfg(feature = "web-core")]
#[wasm_bindgen(js_name = detectFormat)]
pub fn detect_format(bytes: &[u8]) -> JsResult<JsValue> {
    to_js(&io::Format::detect(bytes))
}

/// The named arrays of a container file (NPZ, safetensors, MAT) as
/// `[{name, shape, dtype}]`, for the page's array picker.
///
/// # Errors
/// A CSV/NPY file (one unnamed array) or a malformed container.
#[cfg(feature = "web-import")]
#[wasm_bindgen(js_name = listArrays)]
pub fn list_arrays(bytes: &[u8]) -> JsResult<JsValue> {
    to_js(&io::list_arrays(bytes).map_err(js)?)
}
