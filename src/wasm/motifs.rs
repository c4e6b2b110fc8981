//! Motif exports: the [`MotifGraph`] handle (census, weighted census, null
//! samples, instances), null statistics, the motif table, and the motif
//! charts. Results cross as JS objects of typed arrays.

use super::backend::on_canvas;
use super::{js, object, to_js, JsResult};
use crate::motifs::{self as motif_core, Digraph, NullModel, Threshold, ThresholdReport};
use crate::plot::{self, HeatmapOpts};
use js_sys::Float64Array;
use ndarray::Array2;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Null samples one call may compute (the page asks in chunks).
const MAX_NULL_CHUNK: usize = 100_000;

/// A directed graph for motif analysis (adjacency convention: edge i → j).
#[wasm_bindgen]
pub struct MotifGraph {
    inner: Digraph,
    threshold: Option<ThresholdReport>,
}

/// `MotifGraph.load` settings: orientation, array name and the core's
/// [`Threshold`] (`{mode: "auto"|"keep"|"abs"|"none", keep?, min_abs?}`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadArgs {
    #[serde(default)]
    rnn: bool,
    #[serde(default)]
    name: Option<String>,
    threshold: Threshold,
}

#[wasm_bindgen]
impl MotifGraph {
    /// Parse an uploaded file: an edge list (CSV with header
    /// `source,target[,weight]`) or a square matrix (CSV/NPY). With `rnn`, a
    /// matrix is read as W[i][j] = weight from j to i (edge j → i). `name`
    /// picks one array in an NPZ, safetensors or MAT file.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], rnn: bool, name: Option<String>) -> JsResult<MotifGraph> {
        use crate::io::edgelist::{is_edge_list, parse_edge_list};
        let inner = if is_edge_list(bytes) {
            if rnn {
                return Err(JsError::new(
                    "the RNN orientation applies to matrices; an edge list already says source → target",
                ));
            }
            let e = parse_edge_list(bytes).map_err(js)?;
            Digraph::from_edges(e.n, &e.edges).map_err(js)?
        } else {
            let m = super::read_square_bytes(bytes, name.as_deref()).map_err(js)?;
            let m = if rnn { m.t().to_owned() } else { m };
            Digraph::from_matrix(&m).map_err(js)?
        };
        Ok(MotifGraph {
            inner,
            threshold: None,
        })
    }

    /// Parse an uploaded file as `fromBytes` does, and threshold a weight
    /// matrix with the core's `graph_from_weights`. `params`: `{rnn, name,
    /// threshold: {mode, keep | min_abs}}`. An edge list keeps every listed
    /// edge (the threshold is for matrices; `thresholdReport` is then null).
    ///
    /// # Errors
    /// Bad settings (named), an unreadable file, a non-square matrix.
    pub fn load(bytes: &[u8], params: JsValue) -> JsResult<MotifGraph> {
        use crate::io::edgelist::is_edge_list;
        let a: LoadArgs = super::from_js("motif graph settings", params)?;
        if is_edge_list(bytes) {
            return MotifGraph::from_bytes(bytes, a.rnn, a.name);
        }
        let m = super::read_square_bytes(bytes, a.name.as_deref()).map_err(js)?;
        let m = if a.rnn { m.t().to_owned() } else { m };
        let (inner, report) = motif_core::graph_from_weights(&m, a.threshold).map_err(js)?;
        Ok(MotifGraph {
            inner,
            threshold: Some(report),
        })
    }

    /// The core's `ThresholdReport` of `load` (`{rule, applied, cut,
    /// nonzero_before, kept}`), or null.
    #[wasm_bindgen(js_name = thresholdReport)]
    pub fn threshold_report(&self) -> JsResult<JsValue> {
        to_js(&self.threshold)
    }

    /// The core's `DensityReport` (`{n, m, density, complete, warning}`).
    pub fn density(&self) -> JsResult<JsValue> {
        to_js(&motif_core::check_density(&self.inner))
    }

    /// The core's `CostEstimate` of a census plus `samples` null samples
    /// (`{census_pairs, null_samples, census_seconds, total_seconds}`).
    pub fn estimate(&self, samples: usize) -> JsResult<JsValue> {
        to_js(&motif_core::estimate_cost(&self.inner, samples))
    }

    /// Random directed graph G(N, p), seeded (`seed` is a BigInt).
    pub fn random(n: usize, density: f64, seed: u64) -> JsResult<MotifGraph> {
        motif_core::erdos_renyi(n, density, seed)
            .map(|inner| MotifGraph {
                inner,
                threshold: None,
            })
            .map_err(js)
    }

    /// Build from flattened edge pairs `[i0, j0, i1, j1, …]`.
    #[wasm_bindgen(js_name = fromEdges)]
    pub fn from_edges(n: usize, pairs: &[u32]) -> JsResult<MotifGraph> {
        if !pairs.len().is_multiple_of(2) {
            return Err(JsError::new("edge pairs must have an even length"));
        }
        let e: Vec<_> = pairs
            .chunks_exact(2)
            .map(|c| (c[0] as usize, c[1] as usize, 1.0))
            .collect();
        Digraph::from_edges(n, &e)
            .map(|inner| MotifGraph {
                inner,
                threshold: None,
            })
            .map_err(js)
    }

    /// Number of nodes.
    #[wasm_bindgen(getter)]
    pub fn n(&self) -> usize {
        self.inner.n()
    }

    /// Number of directed edges (self-loops excluded).
    #[wasm_bindgen(getter)]
    pub fn m(&self) -> usize {
        self.inner.m()
    }

    /// Edges flattened `[i0, j0, i1, j1, …]`.
    pub fn edges(&self) -> Vec<u32> {
        self.inner
            .edges()
            .iter()
            .flat_map(|&(i, j, _)| [i, j])
            .collect()
    }

    /// Census as `{counts: Float64Array(13), participation: Float64Array(13 × N)}`
    /// (participation row-major: motif m, node u).
    pub fn census(&self) -> JsResult<JsValue> {
        let c = motif_core::census(&self.inner).map_err(js)?;
        let counts: Vec<f64> = c.counts.iter().map(|&v| v as f64).collect();
        let part: Vec<f64> = c.per_node.iter().map(|&v| v as f64).collect();
        object(&[
            ("counts", Float64Array::from(&counts[..]).into()),
            ("participation", Float64Array::from(&part[..]).into()),
        ])
    }

    /// Weighted census as `{intensity, coherence}` (Float64Array(13) each).
    pub fn weighted(&self) -> JsResult<JsValue> {
        let w = motif_core::weighted_census(&self.inner).map_err(js)?;
        object(&[
            ("intensity", Float64Array::from(&w.intensity[..]).into()),
            ("coherence", Float64Array::from(&w.coherence[..]).into()),
        ])
    }

    /// Counts of null samples `start .. start + count`, flattened 13 per sample.
    /// `model` is "swap" or "er". Sample k is the same whichever chunk computes it.
    #[wasm_bindgen(js_name = nullSamples)]
    pub fn null_samples(
        &self,
        model: &str,
        seed: u64,
        start: u32,
        count: u32,
    ) -> JsResult<Vec<f64>> {
        let model: NullModel = model.parse().map_err(js)?;
        let k = super::count("null samples per call", count as usize, MAX_NULL_CHUNK)?;
        let mut out = Vec::with_capacity(13 * k);
        for k in start..start.saturating_add(count) {
            let c =
                motif_core::null_sample_counts(&self.inner, model, seed, k as u64).map_err(js)?;
            out.extend(c.iter().map(|&v| v as f64));
        }
        Ok(out)
    }

    /// Up to `limit` instances of motif index `m` (0–12), flattened triples.
    pub fn instances(&self, m: usize, limit: usize) -> JsResult<Vec<u32>> {
        let t = motif_core::instances(&self.inner, m, limit).map_err(js)?;
        Ok(t.iter().flatten().map(|&u| u as u32).collect())
    }
}

/// Null statistics of `observed` (13 counts) against `samples` (13 per
/// sample): `{mean, std, z, profile}`, Float64Array(13) each; undefined z
/// (zero null variance) is NaN — the page shows it as "n/a".
#[wasm_bindgen(js_name = motifNullStats)]
pub fn motif_null_stats(observed: &[f64], samples: &[f64]) -> JsResult<JsValue> {
    if observed.len() != 13 || !samples.len().is_multiple_of(13) {
        return Err(JsError::new(
            "observed needs 13 counts and samples a multiple of 13",
        ));
    }
    let obs: [u64; 13] = std::array::from_fn(|m| observed[m].max(0.0) as u64);
    let s: Vec<[u64; 13]> = samples
        .chunks_exact(13)
        .map(|c| std::array::from_fn(|m| c[m].max(0.0) as u64))
        .collect();
    let st = motif_core::null_stats(&obs, &s).map_err(js)?;
    let nan = |v: &[Option<f64>]| -> Vec<f64> { v.iter().map(|z| z.unwrap_or(f64::NAN)).collect() };
    object(&[
        ("mean", Float64Array::from(&st.mean[..]).into()),
        ("std", Float64Array::from(&st.std[..]).into()),
        ("z", Float64Array::from(&nan(&st.z)[..]).into()),
        ("profile", Float64Array::from(&nan(&st.profile)[..]).into()),
    ])
}

/// The motif table as JSON text (not a hot path): id, name, edges, level, conditions.
#[wasm_bindgen(js_name = motifTable)]
pub fn motif_table() -> String {
    let levels = motif_core::motif_levels();
    let rows: Vec<serde_json::Value> = motif_core::MOTIFS
        .iter()
        .enumerate()
        .map(|(m, t)| {
            serde_json::json!({
                "id": t.id, "name": t.name,
                "edges": t.edges.iter().map(|&(a, b)| [a, b]).collect::<Vec<_>>(),
                "level": levels[m],
                "conditions": motif_core::level_conditions(levels[m]),
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// Draw 13 values as a bar chart coloured by stability level with motif
/// glyphs; `selected` < 0 for none. Returns `[left, right]`, the plot's
/// x-range in canvas pixels, for mapping clicks to motifs.
#[wasm_bindgen(js_name = drawMotifBars)]
pub fn draw_motif_bars(
    canvas: HtmlCanvasElement,
    values: &[f64],
    title: &str,
    y_label: &str,
    log: bool,
    selected: i32,
) -> JsResult<Vec<f64>> {
    if values.len() != 13 {
        return Err(JsError::new("drawMotifBars needs 13 values"));
    }
    let v: [f64; 13] = std::array::from_fn(|m| values[m]);
    let opts = plot::MotifBarsOpts {
        title: title.into(),
        y_label: y_label.into(),
        log,
        selected: usize::try_from(selected).ok().filter(|&s| s < 13),
    };
    let mut range = (0.0, 0.0);
    on_canvas(canvas, |root| {
        range = plot::motif_bars(root, &v, &opts)?;
        Ok(())
    })?;
    Ok(vec![range.0, range.1])
}

/// Draw a small network (N ≤ 300) on a circle, highlighting instance triples
/// (flattened) in the colour of `level`.
#[wasm_bindgen(js_name = drawMotifNetwork)]
pub fn draw_motif_network(
    canvas: HtmlCanvasElement,
    n: usize,
    edges: &[u32],
    triples: &[u32],
    level: u8,
    title: &str,
) -> JsResult<()> {
    let e: Vec<(usize, usize)> = edges
        .chunks_exact(2)
        .map(|c| (c[0] as usize, c[1] as usize))
        .collect();
    let t: Vec<[usize; 3]> = triples
        .chunks_exact(3)
        .map(|c| [c[0] as usize, c[1] as usize, c[2] as usize])
        .collect();
    on_canvas(canvas, |root| {
        plot::motif_network(root, n, &e, &t, level, title)
    })
}

/// Draw the 13 × N participation table (row-major) as a heatmap with motif/node axis labels.
#[wasm_bindgen(js_name = drawMotifParticipation)]
pub fn draw_motif_participation(
    canvas: HtmlCanvasElement,
    n: usize,
    data: &[f64],
    title: &str,
) -> JsResult<()> {
    let m = Array2::from_shape_vec((13, n), data.to_vec()).map_err(|_| {
        JsError::new(&format!(
            "participation needs 13 × {n} = {} numbers, got {}",
            n.saturating_mul(13),
            data.len()
        ))
    })?;
    let opts = HeatmapOpts {
        title: title.into(),
        x_label: "node u".into(),
        y_label: "motif id − 1".into(),
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::heatmap(root, &m, &opts))
}
