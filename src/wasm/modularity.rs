//! Modularity exports: planted demo activity, the activity → multilayer
//! communities pipeline ([`crate::modularity::pipeline`], the same one the
//! CLI's `multilayer` runs) and activation statistics.

use super::{from_js, js, to_js, JsResult, Matrix};
use crate::modularity::multilayer::MultilayerParams;
use crate::modularity::null::{null_test, warn_if_null, NullKind, NullParams, NullResult};
use crate::modularity::synthetic::PlantedParams;
use crate::modularity::{multilayer_pipeline, ActivityMultilayer, ActivityParams};
use wasm_bindgen::prelude::*;

/// Seeded synthetic activity (T × M) with planted, drifting modules.
/// `params`: the core's [`PlantedParams`] as one object (`{units, modules,
/// windows, window, drift, noise, seed}`, absent keys at the page demo's
/// defaults).
///
/// # Errors
/// Wrong types; settings out of range (named).
#[wasm_bindgen(js_name = plantedActivity)]
pub fn planted_activity(params: JsValue) -> JsResult<Matrix> {
    let p: PlantedParams = from_js("planted activity parameters", params)?;
    p.generate().map(|(x, _)| Matrix::wrap(x)).map_err(js)
}

/// Result of [`multilayer_activity`]: labels, Q, allegiance, flexibility,
/// the FC mean and the consensus order (the core's [`ActivityMultilayer`]).
#[wasm_bindgen]
pub struct Multilayer {
    a: ActivityMultilayer,
    /// The optimiser settings the result came from (the null reruns them).
    p: MultilayerParams,
    null: Option<NullResult>,
}

#[wasm_bindgen]
impl Multilayer {
    /// Multilayer modularity Q of the best run (normalised by 2μ).
    #[wasm_bindgen(getter)]
    pub fn q(&self) -> f64 {
        self.a.result.q
    }
    /// Number of layers L (windows).
    #[wasm_bindgen(getter)]
    pub fn layers(&self) -> usize {
        self.a.result.labels.len()
    }
    /// Number of nodes N (units) per layer.
    #[wasm_bindgen(getter)]
    pub fn nodes(&self) -> usize {
        self.a.result.flexibility.len()
    }
    /// Distinct communities over all layers.
    #[wasm_bindgen(getter, js_name = nCommunities)]
    pub fn n_communities(&self) -> usize {
        self.a.result.n_communities
    }
    /// System flexibility: the mean node flexibility, in [0, 1].
    #[wasm_bindgen(getter, js_name = systemFlexibility)]
    pub fn system_flexibility(&self) -> f64 {
        self.a.result.system_flexibility
    }
    /// Labels, layer-major (L × N).
    pub fn labels(&self) -> Vec<f64> {
        self.a
            .result
            .labels
            .iter()
            .flatten()
            .map(|&v| v as f64)
            .collect()
    }
    /// Communities present in each layer (length L).
    #[wasm_bindgen(js_name = communitiesPerLayer)]
    pub fn communities_per_layer(&self) -> Vec<f64> {
        self.a
            .result
            .communities_per_layer
            .iter()
            .map(|&v| v as f64)
            .collect()
    }
    /// Allegiance (N × N, row-major).
    pub fn allegiance(&self) -> Vec<f64> {
        self.a.result.allegiance.iter().copied().collect()
    }
    /// FC averaged over the windows (N × N, row-major).
    #[wasm_bindgen(js_name = fcMean)]
    pub fn fc_mean(&self) -> Vec<f64> {
        self.a.fc_mean.iter().copied().collect()
    }
    /// Node flexibility: fraction of consecutive layer pairs in which node i changes community,
    /// mean over runs (length N).
    pub fn flexibility(&self) -> Vec<f64> {
        self.a.result.flexibility.clone()
    }
    /// Node order grouping the consensus communities of the allegiance.
    pub fn order(&self) -> Vec<f64> {
        self.a.order.iter().map(|&v| v as f64).collect()
    }
    /// Community borders in `order`.
    pub fn borders(&self) -> Vec<f64> {
        self.a.borders.iter().map(|&v| v as f64).collect()
    }
    /// The analysis's cautions (e.g. no community structure beyond the coupling), one per line.
    pub fn warnings(&self) -> String {
        self.a.result.warnings.join("\n")
    }
    /// Within-layer part of Q (`q_intra + q_inter = q`).
    #[wasm_bindgen(getter, js_name = qIntra)]
    pub fn q_intra(&self) -> f64 {
        self.a.result.q_intra
    }
    /// Inter-layer (coupling) part of Q.
    #[wasm_bindgen(getter, js_name = qInter)]
    pub fn q_inter(&self) -> f64 {
        self.a.result.q_inter
    }
    /// Which partition won the optimiser floor: `louvain`, `singletons` or
    /// `one_community` (the core's `Floor`, serde name).
    #[wasm_bindgen(getter)]
    pub fn floor(&self) -> JsResult<String> {
        Ok(to_js(&self.a.result.floor)?.as_string().unwrap_or_default())
    }
    /// Q of the unit-constant singletons partition.
    #[wasm_bindgen(getter, js_name = qSingletons)]
    pub fn q_singletons(&self) -> f64 {
        self.a.result.q_singletons
    }
    /// Q of the one-community partition.
    #[wasm_bindgen(getter, js_name = qOneCommunity)]
    pub fn q_one_community(&self) -> f64 {
        self.a.result.q_one_community
    }
    /// Compare Q (and #communities, flexibility, q_intra) with `samples`
    /// null networks of `kind` (`connectional`, `nodal`, `temporal`; the
    /// core's `null_test`, the CLI's `--null`), seeded by `seed`; a
    /// connectional null that Q does not beat adds the no-structure warning
    /// (`warn_if_null`). `progress(done, total)` after each null sample.
    /// Returns the core's `NullResult` (the CLI's `"null"` object).
    ///
    /// # Errors
    /// Bad kind or K; temporal/nodal with one layer.
    #[wasm_bindgen(js_name = nullTest)]
    pub fn null_test(
        &mut self,
        kind: &str,
        samples: usize,
        seed: u64,
        progress: &js_sys::Function,
    ) -> JsResult<JsValue> {
        let np = NullParams {
            kind: kind.parse::<NullKind>().map_err(js)?,
            samples,
            seed,
        };
        let nr = null_test(&self.a.fc, &self.p, &self.a.result, &np, &mut |d, t| {
            let _ = progress.call2(&JsValue::NULL, &(d as f64).into(), &(t as f64).into());
        })
        .map_err(js)?;
        warn_if_null(&mut self.a.result, &nr);
        let out = to_js(&nr)?;
        self.null = Some(nr);
        Ok(out)
    }
    /// The last null test's result (`undefined` before one).
    #[wasm_bindgen(getter)]
    pub fn null(&self) -> JsResult<JsValue> {
        match &self.null {
            Some(n) => to_js(n),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

/// Windowed FC → multilayer communities with the core's one pipeline
/// ([`multilayer_pipeline`], as the CLI's `multilayer`). `params`: the core's
/// [`ActivityParams`] as one object — `{window, step, multilayer: {omega,
/// gamma_pos, gamma_neg, coupling, runs, seed, random_moves}}` (`step`
/// `null` = disjoint windows; `gamma_pos`/`gamma_neg` one value or one per
/// window; `coupling` `"ordinal"` or `"categorical"`; absent keys at
/// [`ActivityParams::hebbff`]). `progress(done, total)` after each run.
///
/// # Errors
/// Wrong types; the core's checks (named).
#[wasm_bindgen(js_name = multilayerActivity)]
pub fn multilayer_activity(
    activity: &Matrix,
    params: JsValue,
    progress: &js_sys::Function,
) -> JsResult<Multilayer> {
    let p: ActivityParams = super::from_js_nested(
        "multilayer parameters",
        params,
        &[("multilayer", super::struct_fields::<MultilayerParams>)],
    )?;
    multilayer_pipeline(activity.inner.view(), &p, &mut |d, t| {
        let _ = progress.call2(&JsValue::NULL, &(d as f64).into(), &(t as f64).into());
    })
    .map(|a| Multilayer {
        a,
        p: p.multilayer.clone(),
        null: None,
    })
    .map_err(js)
}

/// Activation statistics (the core's `stats::activity_stats`, the CLI's
/// `stats`) with `bins` histogram bins.
#[wasm_bindgen(js_name = activityStats)]
pub fn activity_stats(activity: &Matrix, bins: usize) -> JsResult<ActivityStats> {
    crate::stats::activity_stats(activity.inner.view(), bins)
        .map(|s| ActivityStats { s })
        .map_err(js)
}

/// Activation statistics handle.
#[wasm_bindgen]
pub struct ActivityStats {
    s: crate::stats::ActivityStats,
}

#[wasm_bindgen]
impl ActivityStats {
    /// The core's `ActivityStats` as a plain object — the CLI's `stats`
    /// JSON: `{samples, units, mean, std, skewness, excess_kurtosis,
    /// mean_correlation, gaussian_entropy, entropy_ridge,
    /// activation_histogram, correlation_histogram, constant_units,
    /// warnings}` (the histograms also as typed arrays below).
    pub fn summary(&self) -> JsResult<JsValue> {
        to_js(&self.s)
    }
    /// Bin edges of the pooled activation histogram (bins + 1 values).
    #[wasm_bindgen(js_name = activationEdges)]
    pub fn activation_edges(&self) -> Vec<f64> {
        self.s.activation_histogram.edges.clone()
    }
    /// Counts of the pooled activation histogram (one per bin).
    #[wasm_bindgen(js_name = activationCounts)]
    pub fn activation_counts(&self) -> Vec<f64> {
        self.s
            .activation_histogram
            .counts
            .iter()
            .map(|&c| c as f64)
            .collect()
    }
    /// Bin edges of the histogram of pairwise unit correlations (bins + 1 values).
    #[wasm_bindgen(js_name = correlationEdges)]
    pub fn correlation_edges(&self) -> Vec<f64> {
        self.s.correlation_histogram.edges.clone()
    }
    /// Counts of the histogram of pairwise unit correlations (one per bin).
    #[wasm_bindgen(js_name = correlationCounts)]
    pub fn correlation_counts(&self) -> Vec<f64> {
        self.s
            .correlation_histogram
            .counts
            .iter()
            .map(|&c| c as f64)
            .collect()
    }
    /// The statistics' cautions (constant units, singular covariance), one per line.
    pub fn warnings(&self) -> String {
        self.s.warnings.join("\n")
    }
}
