//! The perturbation experiment's machinery: seeded sub-streams, a rollout of
//! one trial on kicked copies of a network that share input and recurrent
//! noise, and the per-network deviation curves (see [`super::experiments`]).

use super::experiments::ExperimentParams;
use super::rnn::RateRnn;
use super::tasks::Task;
use crate::error::{Error, Result};
use crate::linalg::matmul;
use crate::rng;
use crate::rng::StandardNormal;
use ndarray::{Array1, Array2};
use rand::distr::Distribution;

/// Seed of item `i` of stream `tag` under `seed` (SplitMix64 finaliser).
pub(crate) fn sub_seed(seed: u64, tag: u64, i: u64) -> u64 {
    let mut z =
        seed ^ tag.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Run one trial of `x` (per step, 1 × inputs) on `1 + kicks.len()` copies
/// of the network that share the input and the recurrent noise ξ_t (drawn
/// from `noise_seed` exactly as [`RateRnn::forward`] draws it for one trial);
/// row 0 is unperturbed, row 1 + p gets `kicks[p]` added to h at state index
/// `kick_step`. Returns the states h_0 … h_T (each rows × N).
///
/// # Errors
/// Shape mismatch between `x`, the kicks and the network.
/// Complexity: O(T · (1 + kicks) · N²).
pub fn rollout(
    net: &RateRnn,
    x: &[Array2<f64>],
    noise_seed: u64,
    kick_step: usize,
    kicks: &[Array1<f64>],
) -> Result<Vec<Array2<f64>>> {
    let n = net.n();
    if x.iter().any(|a| a.dim() != (1, net.inputs())) || kicks.iter().any(|k| k.len() != n) {
        return Err(Error::Shape(format!(
            "rollout needs 1 × {} inputs per step and kicks of length {n}",
            net.inputs()
        )));
    }
    let rows = 1 + kicks.len();
    let a = net.alpha;
    let sd = net.noise * a.sqrt();
    let mut rng = rng::seeded(noise_seed);
    let wt = net.w.t().as_standard_layout().into_owned();
    let mut h = Array2::<f64>::zeros((rows, n));
    let mut states = Vec::with_capacity(x.len() + 1);
    let kick = |h: &mut Array2<f64>| {
        for (p, k) in kicks.iter().enumerate() {
            let mut row = h.row_mut(p + 1);
            row += k;
        }
    };
    if kick_step == 0 {
        kick(&mut h);
    }
    states.push(h.clone());
    for (t, xt) in x.iter().enumerate() {
        let r = h.mapv(crate::fmath::tanh);
        // Same operation order as `RateRnn::forward` (bit-identical for one
        // row); the input drive (1 × N) is broadcast over the rows.
        let mut drive = matmul(&r.view(), &wt.view()) + &matmul(&xt.view(), &net.w_in.t());
        drive += &net.b;
        h = &h * (1.0 - a) + drive * a;
        if sd > 0.0 {
            let xi: Array1<f64> = (0..n)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    sd * z
                })
                .collect();
            h += &xi;
        }
        if t + 1 == kick_step {
            kick(&mut h);
        }
        states.push(h.clone());
    }
    Ok(states)
}

/// Output deviation and latent distance curves (length horizon + 1) of one
/// network, averaged over `p.trials` trials × `p.kicks` kicks.
pub(crate) fn perturb_network(net: &RateRnn, p: &ExperimentParams) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = net.n();
    let steps = (p.kick_step + p.horizon).max(10);
    let task = Task::new(p.task, steps, p.input_noise)?;
    let kicks = kick_vectors(n, p);
    let mut runs = Vec::with_capacity(p.trials);
    for tr in 0..p.trials {
        let batch = task.batch(1, sub_seed(p.test_seed, 1, tr as u64))?;
        runs.push(rollout(
            net,
            &batch.x,
            sub_seed(p.test_seed, 2, tr as u64),
            p.kick_step,
            &kicks,
        )?);
    }
    // Latent space: top PCs of the unperturbed rates of all trials.
    let unpert: Vec<f64> = runs
        .iter()
        .flat_map(|st| {
            st.iter()
                .flat_map(|h| h.row(0).mapv(crate::fmath::tanh).to_vec())
        })
        .collect();
    let rows = unpert.len() / n;
    let x = Array2::from_shape_vec((rows, n), unpert)
        .map_err(|e| Error::Shape(format!("latent activity: {e}")))?;
    let comps = crate::dynamics::dimension::pca(&x, p.pcs)?.components; // k × N
    let (mut dev, mut lat) = (vec![0.0; p.horizon + 1], vec![0.0; p.horizon + 1]);
    let count = (p.trials * p.kicks) as f64;
    for st in &runs {
        for s in 0..=p.horizon {
            let r = st[p.kick_step + s].mapv(crate::fmath::tanh);
            let y = matmul(&r.view(), &net.w_out.t()); // rows × outputs (b_out cancels)
            let z = matmul(&r.view(), &comps.t()); // rows × k (the PCA mean cancels)
            for k in 1..r.nrows() {
                let dy = &y.row(k) - &y.row(0);
                let dz = &z.row(k) - &z.row(0);
                dev[s] += dy.dot(&dy).sqrt() / count;
                lat[s] += dz.dot(&dz).sqrt() / count;
            }
        }
    }
    Ok((dev, lat))
}

/// One network's kicked and unkicked trajectories in its top three PCs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trajectories {
    /// Group name.
    pub group: String,
    /// State index at which the kicks are added.
    pub kick_step: usize,
    /// Fraction of the variance of the unperturbed rates on PC1–PC3.
    pub explained: Vec<f64>,
    /// The unperturbed trajectory, `[pc1, pc2, pc3]` per state index 0..=T.
    pub unkicked: Vec<Vec<f64>>,
    /// One trajectory per kick, same layout (equal to `unkicked` before
    /// `kick_step`).
    pub kicked: Vec<Vec<Vec<f64>>>,
}

/// Trial 0 of the perturbation experiment (same seeded input, recurrent
/// noise and kicks as [`perturb_network`]) projected on the top
/// min(3, N) principal components of its unperturbed rates r = tanh h:
/// z_t = Vᵀ(r_t − r̄). Kicked and unkicked runs share every noise draw, so
/// they coincide before the kick and differ only by the kick's consequence.
///
/// # Errors
/// Shape errors; a PCA failure.
/// Complexity: O(T · kicks · N² + T · N² + N³).
pub fn trajectories(net: &RateRnn, p: &ExperimentParams, group: String) -> Result<Trajectories> {
    let n = net.n();
    let steps = (p.kick_step + p.horizon).max(10);
    let task = Task::new(p.task, steps, p.input_noise)?;
    let kicks = kick_vectors(n, p);
    let batch = task.batch(1, sub_seed(p.test_seed, 1, 0))?;
    let st = rollout(
        net,
        &batch.x,
        sub_seed(p.test_seed, 2, 0),
        p.kick_step,
        &kicks,
    )?;
    let rows: Vec<f64> = st
        .iter()
        .flat_map(|h| h.row(0).mapv(crate::fmath::tanh).to_vec())
        .collect();
    let x = Array2::from_shape_vec((st.len(), n), rows)
        .map_err(|e| Error::Shape(format!("latent activity: {e}")))?;
    let k = 3.min(n);
    let pca = crate::dynamics::dimension::pca(&x, k)?;
    let mean = Array1::from(pca.mean.clone());
    let project = |row: usize| -> Vec<Vec<f64>> {
        st.iter()
            .map(|h| {
                let r = h.row(row).mapv(crate::fmath::tanh) - &mean;
                pca.components.dot(&r).to_vec()
            })
            .collect()
    };
    Ok(Trajectories {
        group,
        kick_step: p.kick_step,
        explained: pca.explained_variance.iter().take(k).copied().collect(),
        unkicked: project(0),
        kicked: (1..=kicks.len()).map(project).collect(),
    })
}

/// The seeded kick directions (the same for every network of size `n`),
/// scaled to ‖δ‖ = kick·√N.
fn kick_vectors(n: usize, p: &ExperimentParams) -> Vec<Array1<f64>> {
    let kick_norm = p.kick * (n as f64).sqrt();
    (0..p.kicks)
        .map(|k| {
            let mut r = rng::seeded(sub_seed(p.test_seed, 3, k as u64));
            let u: Array1<f64> = (0..n)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut r);
                    z
                })
                .collect();
            let norm = u.dot(&u).sqrt().max(1e-300);
            u * (kick_norm / norm)
        })
        .collect()
}
