//! Multilayer (multi-slice) modularity of Mucha, Richardson, Macon, Porter &
//! Onnela (Science 328, 876, 2010), with signed layers split into positive
//! and negative parts as in the Network Community Toolbox (Bassett et al.;
//! used by the HebbFF study, Gu et al. 2020 for the signed form):
//!
//! Q = (1/2μ) Σ_{ijlr} [ (B_ijl) δ_lr + δ_ij C_jlr ] δ(g_il, g_jr),
//! B_l = (A⁺_l − γ⁺_l k⁺_l k⁺_lᵀ / 2m⁺_l) − (A⁻_l − γ⁻_l k⁻_l k⁻_lᵀ / 2m⁻_l),
//! C_jlr = ω for |l − r| = 1 (ordinal) or for all l ≠ r (categorical),
//! 2μ = Σ_l (2m⁺_l + 2m⁻_l) + Σ_{jlr} C_jlr  (= … + 2ωN(L−1) for ordinal).
//!
//! Maximised by the generalized Louvain engine ([`super::louvain`]) with
//! GenLouvain's random moves (`moverandw`) iterated to convergence, and, for
//! ordinal coupling, GenLouvain's `postprocess_ordinal_multilayer` idea:
//! relabel communities of layers l…L by a permutation that maximises the
//! number of nodes keeping their label from layer l−1 (greedy matching on
//! overlap counts; applied only when persistence rises, so Q never falls).

use super::fc::windowed_fc;
use super::louvain::{canonical, iterated_q, MoveRule, MAX_RUNS};
use super::partition;
pub use super::supra::MultiB;
use crate::error::{check_range, check_size, Error, Result};
use ndarray::{Array2, ArrayView2};

/// Largest N·L (node-layers).
pub const MAX_NODE_LAYERS: usize = 200_000;
/// Largest resolution γ⁺ or γ⁻ (the smallest is 0).
pub const MAX_GAMMA: f64 = 1e6;
/// Largest inter-layer coupling ω (the smallest is 0).
pub const MAX_OMEGA: f64 = 1e6;

/// Inter-layer coupling (serde: `"ordinal"`, `"categorical"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coupling {
    /// ω between (i, l) and (i, l ± 1): layers are ordered (time windows).
    Ordinal,
    /// ω between (i, l) and (i, r) for every r ≠ l.
    Categorical,
}

/// Parameters of the multilayer optimisation (serde: the field names; absent
/// fields take [`MultilayerParams::default`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MultilayerParams {
    /// Inter-layer coupling ω ≥ 0.
    pub omega: f64,
    /// γ⁺ per layer (length 1 = same for all layers, or L).
    pub gamma_pos: Vec<f64>,
    /// γ⁻ per layer (length 1 or L).
    pub gamma_neg: Vec<f64>,
    /// Ordinal (adjacent windows) or categorical (all pairs of layers) coupling.
    pub coupling: Coupling,
    /// Independent runs (best Q is reported; allegiance pools all runs).
    pub runs: usize,
    /// Seed of the first run; run k uses `seed + k`, so results are reproducible.
    pub seed: u64,
    /// GenLouvain random moves (true) or greedy moves.
    pub random_moves: bool,
}

impl Default for MultilayerParams {
    fn default() -> Self {
        MultilayerParams {
            omega: 1.0,
            gamma_pos: vec![1.0],
            gamma_neg: vec![1.0],
            coupling: Coupling::Ordinal,
            runs: 10,
            seed: 1,
            random_moves: true,
        }
    }
}

impl MultilayerParams {
    /// Check the settings that do not depend on the data: every γ⁺ and γ⁻
    /// in [0, [`MAX_GAMMA`]], ω in [0, [`MAX_OMEGA`]], runs in
    /// 1…[`MAX_RUNS`]. (The number of γ values against the number of layers
    /// is checked with the layers, in [`MultiB::new`].)
    ///
    /// # Errors
    /// A named [`Error::Param`] (`gamma`, `gamma-neg`, `omega`, `runs`) for
    /// the first value out of range.
    pub fn check(&self) -> Result<()> {
        for (name, g) in [("gamma", &self.gamma_pos), ("gamma-neg", &self.gamma_neg)] {
            if g.is_empty() {
                return Err(Error::param(name, "needs at least one value"));
            }
            for &x in g.iter() {
                check_range(name, x, 0.0, MAX_GAMMA)?;
            }
        }
        check_range("omega", self.omega, 0.0, MAX_OMEGA)?;
        check_size("runs", self.runs, 1, MAX_RUNS)?;
        Ok(())
    }
}

/// Parameters for activity → windows → multilayer communities (serde: the
/// field names, `multilayer` nested; absent fields take
/// [`ActivityParams::hebbff`], the default). The page's `multilayerActivity`
/// takes this object.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActivityParams {
    /// Window length Z (samples).
    pub window: usize,
    /// Step between window starts; `None` = disjoint windows.
    pub step: Option<usize>,
    /// Coupling, resolution and run settings of the multilayer optimisation.
    pub multilayer: MultilayerParams,
}

impl Default for ActivityParams {
    /// [`ActivityParams::hebbff`].
    fn default() -> Self {
        ActivityParams::hebbff()
    }
}

impl ActivityParams {
    /// Check the settings that do not depend on the data: window ≥ 2, step
    /// ≥ 1 when given, and [`MultilayerParams::check`]. (Window against the
    /// number of samples: [`super::fc::windowed_fc`].)
    ///
    /// # Errors
    /// A named [`Error::Param`] for the first value out of range.
    pub fn check(&self) -> Result<()> {
        if self.window < 2 {
            return Err(Error::param(
                "window",
                format!("must be at least 2 samples, got {}", self.window),
            ));
        }
        if self.step == Some(0) {
            return Err(Error::param("step", "must be at least 1 sample, got 0"));
        }
        self.multilayer.check()
    }

    /// The HebbFF study's published analysis: windows of 50 samples,
    /// γ⁺ = 1.02, γ⁻ = 1.0, ω = 1.0, ordinal coupling, on pre-activations a(t).
    pub fn hebbff() -> ActivityParams {
        ActivityParams {
            window: 50,
            step: None,
            multilayer: MultilayerParams {
                omega: 1.0,
                gamma_pos: vec![1.02],
                gamma_neg: vec![1.0],
                ..Default::default()
            },
        }
    }
}

/// Everything the multilayer analysis returns.
#[derive(Debug, Clone)]
pub struct MultilayerResult {
    /// Multilayer modularity Q of the best run (normalised by 2μ).
    pub q: f64,
    /// Community of node i in layer l: `labels[l][i]`, numbered consistently across layers.
    pub labels: Vec<Vec<usize>>,
    /// Distinct communities over all layers.
    pub n_communities: usize,
    /// Communities present in each layer, one count per layer.
    pub communities_per_layer: Vec<usize>,
    /// Module allegiance: fraction of layers and runs in which i and j share a community.
    pub allegiance: Array2<f64>,
    /// Node flexibility (mean over runs).
    pub flexibility: Vec<f64>,
    /// Mean node flexibility.
    pub system_flexibility: f64,
    /// Q of every run (after the floor, see [`Floor`]).
    pub run_q: Vec<f64>,
    /// Within-layer part of Q: (1/2μ) Σ_l Σ_ij B_ijl δ(g_il, g_jl) (diagonal included).
    pub q_intra: f64,
    /// Inter-layer part of Q: (1/2μ) Σ_{jlr} C_jlr δ(g_jl, g_jr); q_intra + q_inter = q.
    pub q_inter: f64,
    /// Which partition the returned labels are (Louvain or a trivial floor).
    pub floor: Floor,
    /// Q of the unit-constant singletons (unit i is community i in every layer).
    pub q_singletons: f64,
    /// Q of one community holding every node-layer.
    pub q_one_community: f64,
    /// Human-readable cautions (FC windows, no community structure, …).
    pub warnings: Vec<String>,
}

/// Which partition won the final comparison against the trivial ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Floor {
    /// The optimiser's best run scored at least as high as both trivial partitions.
    Louvain,
    /// Unit-constant singletons scored higher than every run.
    Singletons,
    /// One community scored higher than every run.
    OneCommunity,
}

/// The warning raised when Q has no within-layer support or does not beat
/// the connectional null.
pub const NO_STRUCTURE: &str = "no community structure beyond the inter-layer coupling";

/// Relabel layers l…L so labels persist from layer l−1 as much as a greedy
/// overlap matching allows (GenLouvain's ordinal post-processing). Each step
/// applies one permutation of labels to all later layers, which changes only
/// the coupling between l−1 and l, and only when it increases persistence.
pub fn ordinal_postprocess(flat: &mut [usize], n: usize, l: usize) {
    let universe = flat.iter().copied().max().map_or(0, |m| m + 1);
    for layer in 1..l {
        let (prev, cur) = (
            &flat[(layer - 1) * n..layer * n],
            &flat[layer * n..(layer + 1) * n],
        );
        let before = prev.iter().zip(cur).filter(|(a, b)| a == b).count();
        let mut overlap: std::collections::HashMap<(usize, usize), usize> = Default::default();
        for (&a, &b) in prev.iter().zip(cur) {
            *overlap.entry((b, a)).or_default() += 1;
        }
        // Keys are distinct, so this total order is independent of the map's.
        let pairs: Vec<((usize, usize), usize)> =
            crate::linalg::sorted_by(overlap.into_iter().collect(), |x, y| {
                y.1.cmp(&x.1).then(x.0.cmp(&y.0))
            });
        let mut perm = vec![usize::MAX; universe];
        let mut used = vec![false; universe];
        for ((b, a), _) in pairs {
            if perm[b] == usize::MAX && !used[a] {
                perm[b] = a;
                used[a] = true;
            }
        }
        // Unmatched labels keep their value if free, else take a free one.
        let mut free_targets: Vec<usize> = (0..universe).filter(|&x| !used[x]).collect();
        free_targets.reverse();
        let mut pending = Vec::new();
        for x in 0..universe {
            if perm[x] == usize::MAX {
                if !used[x] {
                    perm[x] = x;
                    used[x] = true;
                } else {
                    pending.push(x);
                }
            }
        }
        free_targets.retain(|&t| !used[t]);
        for x in pending {
            if let Some(t) = free_targets.pop() {
                perm[x] = t;
                used[t] = true;
            }
        }
        let after = prev
            .iter()
            .zip(cur)
            .filter(|(a, b)| **a == perm[**b])
            .count();
        if after > before {
            for v in flat[layer * n..].iter_mut() {
                *v = perm[*v];
            }
        }
    }
}

/// Communities of a multilayer network given as layer matrices.
///
/// # Arguments
/// `layers` L symmetric N×N matrices (e.g. FC windows); `p` ω, γ±, coupling,
/// runs, seed; `progress(done, total)` is called after each run.
///
/// # Returns
/// [`MultilayerResult`] with the best run's labels and Q, allegiance over all
/// runs and layers, flexibility averaged over runs.
///
/// # Errors
/// As [`MultiB::new`]; runs outside 1…[`MAX_RUNS`].
///
/// # Complexity
/// O(N² L) per pass over the node-layers, a few passes per level; memory
/// O(N² L) plus the aggregated levels, kept as sparse rows (their entries
/// link communities of the same and of coupled layers).
pub fn multilayer_from_layers(
    layers: &[Array2<f64>],
    p: &MultilayerParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<MultilayerResult> {
    p.check()?;
    let b = MultiB::new(layers, p)?;
    let (n, l) = (b.nodes(), b.layers());
    let rule = if p.random_moves {
        MoveRule::RandomWeighted
    } else {
        MoveRule::Greedy
    };
    let ordinal = p.coupling == Coupling::Ordinal;
    let mut all_runs: Vec<Vec<Vec<usize>>> = Vec::with_capacity(p.runs);
    let mut run_q = Vec::with_capacity(p.runs);
    let mut best = 0;
    let singles = b.singletons();
    let q_singletons = b.q_singletons();
    let q_one_community = b.q_one_community();
    let mut best_floor = Floor::Louvain;
    for k in 0..p.runs {
        let (mut flat, q_run, exact) =
            iterated_q(&b, None, rule, p.seed.wrapping_add(k as u64), &mut |lab| {
                if ordinal {
                    ordinal_postprocess(lab, n, l)
                }
            });
        canonical(&mut flat);
        // Q is invariant under relabelling, so `quality` of the run's labels
        // is Q of the canonical ones, to the bit.
        let mut q = if exact { q_run / b.two_mu } else { b.q(&flat) };
        // The floor: a run never returns less than a trivial partition.
        let mut floor = Floor::Louvain;
        if q_singletons > q && q_singletons >= q_one_community {
            (flat, q, floor) = (singles.clone(), q_singletons, Floor::Singletons);
        } else if q_one_community > q {
            (flat, q, floor) = (vec![0; n * l], q_one_community, Floor::OneCommunity);
        }
        if k == 0 || q > run_q[best] {
            best = k;
            best_floor = floor;
        }
        run_q.push(q);
        all_runs.push(flat.chunks(n).map(|c| c.to_vec()).collect());
        progress(k + 1, p.runs);
    }
    let labels = all_runs[best].clone();
    let (q_intra, q_inter) = b.q_split(&labels.concat());
    let n_communities = {
        let mut flat: Vec<usize> = labels.concat();
        canonical(&mut flat)
    };
    let communities_per_layer = partition::communities_per_layer(&labels);
    let pooled: Vec<&[usize]> = all_runs.iter().flatten().map(|v| v.as_slice()).collect();
    let allegiance = partition::allegiance(&pooled)?;
    let mut flexibility = vec![0.0; n];
    for run in &all_runs {
        for (f, x) in flexibility.iter_mut().zip(partition::flexibility(run)?) {
            *f += x / p.runs as f64;
        }
    }
    let system_flexibility = flexibility.iter().sum::<f64>() / n as f64;
    let q_best = run_q[best];
    Ok(MultilayerResult {
        q: q_best,
        labels,
        n_communities,
        communities_per_layer,
        allegiance,
        flexibility,
        system_flexibility,
        run_q,
        q_intra,
        q_inter,
        floor: best_floor,
        q_singletons,
        q_one_community,
        warnings: if q_intra <= 0.0 {
            vec![format!(
                "{NO_STRUCTURE}: the within-layer part of Q is {q_intra:.3e} ≤ 0 \
                 (Q = {q_best:.4} comes from ω)"
            )]
        } else {
            Vec::new()
        },
    })
}

/// Activity (T samples × M units) → Pearson FC in windows → multilayer
/// communities. The entry point for model hidden activity (e.g. HebbFF
/// pre-activations with [`ActivityParams::hebbff`]).
///
/// # Errors
/// As [`windowed_fc`] and [`multilayer_from_layers`].
///
/// # Complexity
/// O(L Z M²) for the FC plus the optimisation.
pub fn multilayer_from_activity(
    activity: ArrayView2<f64>,
    p: &ActivityParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<MultilayerResult> {
    // windowed_fc is scale-safe (see functional_connectivity).
    let fc = windowed_fc(activity, p.window, p.step)?;
    let mut r = multilayer_from_layers(&fc.layers, &p.multilayer, progress)?;
    let mut w = fc.warnings;
    w.append(&mut r.warnings);
    r.warnings = w;
    Ok(r)
}
