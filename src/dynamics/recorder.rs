//! A ring buffer of the last states of a running simulation, with a PCA fit
//! on it and projections on the fitted axes — what the page's live dynamics
//! view draws (2-D and 3-D trajectories, participation ratio).
//!
//! The buffer keeps the newest `capacity` states; [`Recorder::fit`] runs
//! [`pca`](super::pca) on them (oldest first) and keeps the mean and the top
//! three axes, so later states can be projected as they arrive without a
//! refit: p_c(h) = (h − μ) · u_c.

use super::dimension::pca;
use crate::error::{check_size, Error, Result};
use ndarray::Array2;

/// Number of principal axes kept by [`Recorder::fit`] (the 3-D view uses all three).
pub const AXES: usize = 3;

/// The last `capacity` states of an N-unit network and the PCA fitted on them.
#[derive(Debug, Clone)]
pub struct Recorder {
    n: usize,
    capacity: usize,
    history: Vec<f64>,
    head: usize,
    filled: usize,
    mean: Vec<f64>,
    /// [`AXES`] × N, row-major; zero before the first fit.
    axes: Vec<f64>,
    explained: Vec<f64>,
    total_variance: f64,
}

impl Recorder {
    /// An empty recorder for states of `n` units keeping the last `capacity`.
    ///
    /// # Errors
    /// `n` outside 1…[`super::MAX_UNITS`] or `capacity` outside 1…100 000.
    pub fn new(n: usize, capacity: usize) -> Result<Recorder> {
        check_size("units", n, 1, super::MAX_UNITS)?;
        check_size("history capacity", capacity, 1, 100_000)?;
        Ok(Recorder {
            n,
            capacity,
            history: vec![0.0; capacity * n],
            head: 0,
            filled: 0,
            mean: vec![0.0; n],
            axes: vec![0.0; AXES * n],
            explained: Vec::new(),
            total_variance: 0.0,
        })
    }

    /// Units per state.
    pub fn n(&self) -> usize {
        self.n
    }

    /// States stored now (≤ capacity).
    pub fn len(&self) -> usize {
        self.filled
    }

    /// True before the first [`push`](Self::push).
    pub fn is_empty(&self) -> bool {
        self.filled == 0
    }

    /// Store a state, dropping the oldest when full.
    ///
    /// # Errors
    /// `h` does not have N entries.
    pub fn push(&mut self, h: &[f64]) -> Result<()> {
        if h.len() != self.n {
            return Err(Error::Shape(format!(
                "state has {} entries, the recorder holds {} units",
                h.len(),
                self.n
            )));
        }
        let n = self.n;
        self.history[self.head * n..(self.head + 1) * n].copy_from_slice(h);
        self.head = (self.head + 1) % self.capacity;
        self.filled = (self.filled + 1).min(self.capacity);
        Ok(())
    }

    /// Stored state `t` (0 = oldest).
    fn row(&self, t: usize) -> &[f64] {
        let r = (self.head + self.capacity - self.filled + t) % self.capacity;
        &self.history[r * self.n..(r + 1) * self.n]
    }

    /// The stored states as a T × N matrix, oldest first.
    ///
    /// # Errors
    /// Fewer than 2 states stored.
    pub fn activity(&self) -> Result<Array2<f64>> {
        if self.filled < 2 {
            return Err(Error::Shape(
                "the simulation has recorded fewer than 2 states".into(),
            ));
        }
        Ok(Array2::from_shape_fn((self.filled, self.n), |(t, i)| {
            self.row(t)[i]
        }))
    }

    /// Fit PCA on the stored states and keep its mean and top [`AXES`] axes;
    /// returns the participation ratio (NaN with fewer than 3 states, the
    /// axes then unchanged).
    ///
    /// # Errors
    /// As [`pca`](super::pca).
    ///
    /// # Complexity
    /// O(T N² + min(T, N)³) for T stored states.
    pub fn fit(&mut self) -> Result<f64> {
        if self.filled < 3 {
            return Ok(f64::NAN);
        }
        let p = pca(&self.activity()?, AXES)?;
        let n = self.n;
        self.mean = p.mean;
        self.axes.iter_mut().for_each(|v| *v = 0.0);
        for c in 0..p.components.nrows().min(AXES) {
            for i in 0..n {
                self.axes[c * n + i] = p.components[[c, i]];
            }
        }
        self.explained = p.explained_variance;
        self.total_variance = p.eigenvalues.iter().sum();
        Ok(p.participation_ratio)
    }

    /// Explained-variance ratios of the last fit (empty before it).
    pub fn explained(&self) -> &[f64] {
        &self.explained
    }

    /// Total variance (sum of covariance eigenvalues) at the last fit.
    pub fn total_variance(&self) -> f64 {
        self.total_variance
    }

    /// Coordinates of `h` on the first `dims` (≤ [`AXES`]) fitted axes:
    /// (h − μ) · u_c. Zeros before the first fit. `h` must have N entries.
    pub fn project(&self, h: &[f64], dims: usize) -> Vec<f64> {
        let n = self.n;
        (0..dims.min(AXES))
            .map(|c| {
                h.iter()
                    .zip(&self.mean)
                    .zip(&self.axes[c * n..(c + 1) * n])
                    .map(|((x, m), u)| (x - m) * u)
                    .sum()
            })
            .collect()
    }

    /// Every stored state projected on the first `dims` axes, interleaved
    /// `[p1_0, p2_0, …, p1_1, …]` oldest first.
    pub fn projection(&self, dims: usize) -> Vec<f64> {
        (0..self.filled)
            .flat_map(|t| self.project(self.row(t), dims))
            .collect()
    }
}

/// What [`record`] returns: per recorded sample its time, the first
/// `traces` units and the projection on the first two fitted axes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecordedChunk {
    /// Simulated time of each sample.
    pub t: Vec<f64>,
    /// Units recorded per sample (min of the asked number and N).
    pub traces: usize,
    /// h_0 … h_{traces−1} per sample, row-major (samples × traces).
    pub h: Vec<f64>,
    /// (PC1, PC2) per sample on the current axes (0 before the first fit).
    pub pc: Vec<f64>,
}

/// Largest `samples` of one [`record`] call.
pub const MAX_RECORD_SAMPLES: usize = 100_000;

/// Run `samples` × `every` steps of `sim`; after each `every` steps push the
/// state into `rec` and record its time, first `traces` units and 2-D
/// projection (what the page's live view draws each frame).
///
/// Arguments: the simulator and its recorder (same N); `samples` ≤
/// [`MAX_RECORD_SAMPLES`]; `every` ≥ 1 steps per sample; `traces` units.
/// Returns: a [`RecordedChunk`].
/// Errors: `samples` or `every` out of range (named); N of `rec` ≠ N of `sim`;
/// a non-finite state (from [`super::Simulator::step`]).
/// Complexity: O(samples · every · N²) (the steps dominate).
pub fn record(
    sim: &mut super::Simulator,
    rec: &mut Recorder,
    samples: usize,
    every: usize,
    traces: usize,
) -> Result<RecordedChunk> {
    check_size("samples", samples, 0, MAX_RECORD_SAMPLES)?;
    check_size("every", every, 1, 1_000_000)?;
    super::check_simulation_budget(sim.n(), 0, samples, every)?;
    if rec.n() != sim.n() {
        return Err(Error::Shape(format!(
            "the recorder holds {} units but the simulation has {}",
            rec.n(),
            sim.n()
        )));
    }
    let k = traces.min(sim.n());
    let mut out = RecordedChunk {
        t: Vec::with_capacity(samples),
        traces: k,
        h: Vec::with_capacity(samples * k),
        pc: Vec::with_capacity(samples * 2),
    };
    for _ in 0..samples {
        sim.step(every)?;
        let h = sim.state();
        rec.push(h)?;
        out.t.push(sim.time());
        out.h.extend_from_slice(&h[..k]);
        out.pc.extend(rec.project(h, 2));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_the_newest_states_in_order() {
        let mut r = Recorder::new(2, 3).unwrap();
        for t in 0..5 {
            r.push(&[t as f64, -(t as f64)]).unwrap();
        }
        let x = r.activity().unwrap();
        assert_eq!(x.nrows(), 3);
        assert_eq!(x.column(0).to_vec(), vec![2.0, 3.0, 4.0]);
        assert_eq!(x.column(1).to_vec(), vec![-2.0, -3.0, -4.0]);
        assert!(r.push(&[1.0]).is_err());
    }

    #[test]
    fn states_on_a_line_project_onto_one_axis() {
        // h(t) = t·(3, 4)/5: one axis u = ±(0.6, 0.8), mean (mean t)·u,
        // so p1 = ±(t − mean t) and p2 = 0; PR = 1.
        let mut r = Recorder::new(2, 10).unwrap();
        assert!(r.fit().unwrap().is_nan());
        for t in 0..5 {
            let t = t as f64;
            r.push(&[0.6 * t, 0.8 * t]).unwrap();
        }
        let pr = r.fit().unwrap();
        assert!((pr - 1.0).abs() < 1e-9, "PR {pr}");
        assert!((r.explained()[0] - 1.0).abs() < 1e-12);
        // total variance = var(t) = 2.5 for t = 0..4
        assert!((r.total_variance() - 2.5).abs() < 1e-9);
        let p = r.projection(2);
        // p1(t = 0) = ±(0 − 2): the axis sign is arbitrary.
        let sign = -p[0].signum();
        for (t, xy) in p.chunks(2).enumerate() {
            assert!((xy[0] - sign * (t as f64 - 2.0)).abs() < 1e-9, "{xy:?}");
            assert!(xy[1].abs() < 1e-9);
        }
    }
}
