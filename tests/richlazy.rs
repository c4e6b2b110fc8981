//! Rich vs lazy (Liu et al., ICLR 2024): initialisation, measures, tangent
//! kernel, tasks and the study, against hand-worked values and finite
//! differences.

// Hand-rolled reference loops index several arrays at once.
#![allow(clippy::needless_range_loop)]

use ndarray::Array2;
use rnnscope::ensembles::{self, effective_rank};
use rnnscope::richlazy::experiment::{initial_w, network};
use rnnscope::richlazy::init::{frobenius, truncate_rank};
use rnnscope::richlazy::measures::{
    activity_at, alignment, gram, output_grads_w, sign_similarity, tangent_kernel,
};
use rnnscope::richlazy::{run, study, InitChoice, Params, RlTask, RlTaskKind};
use rnnscope::train::rnn::RateRnn;

fn tiny_params(task: RlTaskKind) -> Params {
    let mut p = Params::new(task);
    p.n = 12;
    p.ranks = vec![1, 12];
    p.seeds = 2;
    p.iters = 20;
    p.batch = 8;
    p.probe = 16;
    p.ntk_trials = 4;
    p
}

#[test]
fn truncation_keeps_frobenius_norm_and_sets_effective_rank() {
    let w = ensembles::gaussian(80, 1.25, 3).expect("gaussian");
    let f = frobenius(&w);
    for r in [1usize, 2, 3, 5] {
        let t = truncate_rank(&w, r).expect("truncate");
        assert!(
            (frobenius(&t) - f).abs() < 1e-9 * f,
            "rank {r}: norm changed"
        );
        let s = ensembles::singular_values(&t).expect("svd");
        // Exactly r non-zero singular values…
        assert!(
            s[r - 1] > 1e-6 * s[0] && s[r] < 1e-9 * s[0],
            "rank {r}: {:?}",
            &s[..r + 1]
        );
        // …of similar size (top of the quarter-circle law), so PR ≈ r.
        let er = effective_rank(&t).expect("er");
        assert!(
            er <= r as f64 + 1e-9 && er > 0.8 * r as f64,
            "rank {r}: er {er}"
        );
    }
    assert!((effective_rank(&truncate_rank(&w, 1).expect("t")).expect("er") - 1.0).abs() < 1e-12);
    // Full rank is the matrix itself; an i.i.d. Gaussian has PR ≈ N/2.
    assert_eq!(truncate_rank(&w, 80).expect("t"), w);
    let er = effective_rank(&w).expect("er");
    assert!((er - 40.0).abs() < 6.0, "gaussian er {er}");
    assert!(truncate_rank(&w, 0).is_err());
}

#[test]
fn study_initial_w_is_the_truncated_base() {
    let p = tiny_params(RlTaskKind::Dms);
    let base = ensembles::gaussian(12, 1.25, 7).expect("g");
    let w1 = initial_w(&p, InitChoice::Rank(1), 7).expect("w");
    assert!((frobenius(&w1) - frobenius(&base)).abs() < 1e-9);
    assert!((effective_rank(&w1).expect("er") - 1.0).abs() < 1e-9);
    let wa = initial_w(&p, InitChoice::Aligned, 7).expect("aligned");
    assert!((frobenius(&wa) - frobenius(&base)).abs() < 1e-9);
    // DMS has 3 inputs and 3 readouts: the aligned W₀ has rank 3, its right
    // singular vectors in span(W_in) (so it kills directions ⟂ W_in).
    let s = ensembles::singular_values(&wa).expect("svd");
    assert!(s[2] > 1e-3 * s[0] && s[3] < 1e-9 * s[0], "{:?}", &s[..4]);
    let net = network(&p, wa.clone(), 7).expect("net");
    let q = net.w_in.t().dot(&net.w_in);
    let proj = net.w_in.dot(&inv3(&q)).dot(&net.w_in.t());
    let resid = &wa - &wa.dot(&proj);
    assert!(frobenius(&resid) < 1e-9 * frobenius(&wa));
}

/// Inverse of a 3 × 3 matrix by cofactors (for the projector onto span W_in).
fn inv3(a: &Array2<f64>) -> Array2<f64> {
    let c = |i: usize, j: usize| {
        let r: Vec<usize> = (0..3).filter(|&k| k != i).collect();
        let s: Vec<usize> = (0..3).filter(|&k| k != j).collect();
        a[[r[0], s[0]]] * a[[r[1], s[1]]] - a[[r[0], s[1]]] * a[[r[1], s[0]]]
    };
    let det = a[[0, 0]] * c(0, 0) - a[[0, 1]] * c(0, 1) + a[[0, 2]] * c(0, 2);
    Array2::from_shape_fn((3, 3), |(i, j)| {
        let sign = if (i + j) % 2 == 0 { 1.0 } else { -1.0 };
        sign * c(j, i) / det
    })
}

#[test]
fn alignment_hand_worked() {
    let k0 = Array2::from_shape_vec((2, 2), vec![1.0, 0.0, 0.0, 1.0]).expect("k0");
    let k1 = Array2::from_shape_vec((2, 2), vec![1.0, 1.0, 1.0, 1.0]).expect("k1");
    // ⟨K₀,K₁⟩ = 2, ‖K₀‖ = √2, ‖K₁‖ = 2.
    let a = alignment(k0.view(), k1.view()).expect("a");
    assert!((a - 1.0 / 2f64.sqrt()).abs() < 1e-15);
    assert!((alignment(k1.view(), (&k1 * 3.0).view()).expect("a") - 1.0).abs() < 1e-15);
    assert!(alignment(k0.view(), Array2::<f64>::zeros((2, 2)).view()).is_err());
}

fn tiny_net(alpha: f64) -> (RateRnn, rnnscope::richlazy::tasks::TrialBatch) {
    let mut p = Params::new(RlTaskKind::Dms);
    p.n = 4;
    p.alpha = alpha;
    let w0 = ensembles::gaussian(4, 1.3, 5).expect("w");
    let net = network(&p, w0, 5).expect("net");
    let tb = RlTask::new(RlTaskKind::Dms, 0.1)
        .expect("task")
        .batch(3, 11)
        .expect("batch");
    (net, tb)
}

#[test]
fn representation_alignment_equals_direct_computation() {
    let (net, tb) = tiny_net(1.0);
    let mut other = net.clone();
    other.w[[0, 1]] += 0.7;
    other.w[[2, 3]] -= 0.4;
    let t0 = net.forward(&tb.batch, 0).expect("f");
    let t1 = other.forward(&tb.batch, 0).expect("f");
    // Direct: r at the last step by hand-rolled recursion, r = tanh(W r + W_in x).
    let last = |m: &RateRnn| -> Vec<Vec<f64>> {
        (0..3)
            .map(|b| {
                let mut r = vec![0.0; 4];
                for t in 0..8 {
                    r = (0..4)
                        .map(|i| {
                            let mut h = 0.0;
                            for j in 0..4 {
                                h += m.w[[i, j]] * r[j];
                            }
                            for c in 0..3 {
                                h += m.w_in[[i, c]] * tb.batch.x[t][[b, c]];
                            }
                            h.tanh()
                        })
                        .collect();
                }
                r
            })
            .collect()
    };
    let (r0, r1) = (last(&net), last(&other));
    let k = |r: &Vec<Vec<f64>>, a: usize, b: usize| (0..4).map(|i| r[a][i] * r[b][i]).sum::<f64>();
    let (mut dot, mut n0, mut n1) = (0.0, 0.0, 0.0);
    for a in 0..3 {
        for b in 0..3 {
            dot += k(&r0, a, b) * k(&r1, a, b);
            n0 += k(&r0, a, b).powi(2);
            n1 += k(&r1, a, b).powi(2);
        }
    }
    let direct = dot / (n0.sqrt() * n1.sqrt());
    let ours = alignment(
        gram(activity_at(&t0, 7)).view(),
        gram(activity_at(&t1, 7)).view(),
    )
    .expect("a");
    assert!((ours - direct).abs() < 1e-12, "{ours} vs {direct}");
    assert!(ours < 0.999_999, "the perturbation must change the kernel");
    // Sign similarity counted by hand over the decision step (t = 7).
    let same = (0..3)
        .flat_map(|b| (0..4).map(move |i| (b, i)))
        .filter(|&(b, i)| r0[b][i].signum() == r1[b][i].signum())
        .count();
    let s = sign_similarity(&t0, &t1, 7).expect("s");
    assert!((s - same as f64 / 12.0).abs() < 1e-15);
    assert_eq!(sign_similarity(&t0, &t0, 0).expect("s"), 1.0);
}

#[test]
fn tangent_kernel_matches_finite_differences() {
    for alpha in [1.0, 0.4] {
        let (net, tb) = tiny_net(alpha);
        let g = output_grads_w(&net, &tb.batch, 2).expect("g");
        let (steps, trials, outs, n) = (8, 2, 3, 4);
        assert_eq!(g.dim(), (steps * trials * outs, n * n));
        let eps = 1e-6;
        let mut max_err: f64 = 0.0;
        for i in 0..n {
            for j in 0..n {
                let mut plus = net.clone();
                plus.w[[i, j]] += eps;
                let mut minus = net.clone();
                minus.w[[i, j]] -= eps;
                let yp = plus.forward(&tb.batch, 0).expect("f").y;
                let ym = minus.forward(&tb.batch, 0).expect("f").y;
                for t in 0..steps {
                    for b in 0..trials {
                        for k in 0..outs {
                            let fd = (yp[t][[b, k]] - ym[t][[b, k]]) / (2.0 * eps);
                            let an = g[[(t * trials + b) * outs + k, i * n + j]];
                            max_err = max_err.max((fd - an).abs());
                        }
                    }
                }
            }
        }
        assert!(max_err < 1e-7, "alpha {alpha}: max abs err {max_err}");
        // K = G Gᵀ entry by entry.
        let k = tangent_kernel(&net, &tb.batch, 2).expect("k");
        let e: f64 = (0..n * n).map(|c| g[[5, c]] * g[[17, c]]).sum();
        assert!((k[[5, 17]] - e).abs() < 1e-12);
        assert!(
            g.iter().any(|v| v.abs() > 1e-3),
            "gradients must not vanish"
        );
    }
}

#[test]
fn nothing_trained_means_alignment_one() {
    let mut p = tiny_params(RlTaskKind::Context);
    p.iters = 1;
    p.lr = 1e-9;
    let r = run(&p, InitChoice::Rank(2), 3).expect("run");
    assert!(r.weight_change < 1e-6, "{}", r.weight_change);
    assert!((r.rep_alignment - 1.0).abs() < 1e-9, "{}", r.rep_alignment);
    assert!(
        (r.kernel_alignment - 1.0).abs() < 1e-9,
        "{}",
        r.kernel_alignment
    );
    assert!(r.sign_similarity > 0.999);
    // A real run changes W and the kernels.
    p.iters = 40;
    p.lr = 0.05;
    let r = run(&p, InitChoice::Rank(2), 3).expect("run");
    assert!(r.weight_change > 1e-3);
    assert!(r.kernel_alignment < 0.9999);
}

#[test]
fn dms_trial_structure() {
    let task = RlTask::new(RlTaskKind::Dms, 0.0).expect("t");
    let tb = task.batch(40, 2).expect("b");
    let x = &tb.batch.x;
    assert_eq!(x.len(), 8);
    assert_eq!(tb.decision_start, 7);
    let mut matches = 0;
    for b in 0..40 {
        let ans = tb.answer[b];
        assert!(ans == 1 || ans == 2);
        for t in 0..8 {
            assert_eq!(
                x[t][[b, 0]],
                if t < 7 { 1.0 } else { 0.0 },
                "fixation t={t}"
            );
            let stim = x[t][[b, 1]] + x[t][[b, 2]];
            assert_eq!(
                stim,
                if t == 0 || t == 6 { 1.0 } else { 0.0 },
                "stimulus t={t}"
            );
            for k in 0..3 {
                let want = if (t < 7 && k == 0) || (t == 7 && k == ans) {
                    1.0
                } else {
                    0.0
                };
                assert_eq!(tb.batch.target[t][[b, k]], want);
            }
        }
        let same = x[0][[b, 1]] == x[6][[b, 1]];
        assert_eq!(same, ans == 1, "test equals sample iff match");
        matches += usize::from(ans == 1);
    }
    assert!(matches > 5 && matches < 35);
    // Oracle outputs (the targets) are fully correct, swapped answers never.
    assert_eq!(task.accuracy(&tb, &tb.batch.target), 1.0);
    let swapped: Vec<Array2<f64>> = tb
        .batch
        .target
        .iter()
        .map(|y| {
            let mut z = y.clone();
            for b in 0..40 {
                z.swap([b, 1], [b, 2]);
            }
            z
        })
        .collect();
    assert_eq!(task.accuracy(&tb, &swapped), 0.0);
}

#[test]
fn context_trial_structure() {
    let task = RlTask::new(RlTaskKind::Context, 0.0).expect("t");
    let tb = task.batch(60, 4).expect("b");
    let x = &tb.batch.x;
    let allowed = [0.525, 0.575, 0.75, 0.475, 0.425, 0.25];
    for b in 0..60 {
        let ctx = if x[0][[b, 5]] == 1.0 { 0 } else { 1 };
        for t in 0..8 {
            assert_eq!(
                x[t][[b, 5]] + x[t][[b, 6]],
                1.0,
                "one-hot context every step"
            );
            assert_eq!(x[t][[b, 5 + ctx]], 1.0);
            assert_eq!(x[t][[b, 0]], if t < 7 { 1.0 } else { 0.0 });
            for c in 1..5 {
                if t < 2 {
                    assert!(allowed.iter().any(|a| (a - x[t][[b, c]]).abs() < 1e-12));
                } else {
                    assert_eq!(x[t][[b, c]], 0.0, "no stimulus after t=1");
                }
            }
        }
        // Each modality's pair sums to 1; the cued one points to the answer.
        assert!((x[0][[b, 1]] + x[0][[b, 2]] - 1.0).abs() < 1e-12);
        assert!((x[0][[b, 3]] + x[0][[b, 4]] - 1.0).abs() < 1e-12);
        let (s1, s2) = (x[0][[b, 1 + 2 * ctx]], x[0][[b, 2 + 2 * ctx]]);
        assert_eq!(s1 > s2, tb.answer[b] == 1);
        assert_eq!(tb.batch.target[7][[b, tb.answer[b]]], 1.0);
        assert_eq!(tb.batch.target[3][[b, 0]], 1.0);
    }
}

#[test]
fn decision_task_is_rnnscopes() {
    let task = RlTask::new(RlTaskKind::Decision, 0.0).expect("t");
    let tb = task.batch(10, 1).expect("b");
    // 10 steps: fixation 2 (min(5, T/4)), evidence 6, response from step 8.
    assert_eq!(tb.decision_start, 8);
    for b in 0..10 {
        let c = tb.batch.x[3][[b, 0]];
        assert_eq!(tb.answer[b], if c > 0.0 { 1 } else { 2 });
        assert_eq!(tb.batch.x[1][[b, 0]], 0.0);
        assert_eq!(tb.batch.target[9][[b, 0]], c.signum());
    }
}

#[test]
fn study_reports_rows_and_trends() {
    let mut p = tiny_params(RlTaskKind::Dms);
    p.aligned = true;
    let r = study(&p).expect("study");
    // ranks 1, 12 + the rank-matched random W₀ (3) + aligned.
    assert_eq!(r.rows.len(), 4);
    assert_eq!(r.runs.len(), 8);
    let t = r.trends.expect("trends");
    assert_eq!(t.weight_change.n, 4);
    assert!((r.rows[0].effective_rank.mean - 1.0).abs() < 1e-9);
    let pr = r.aligned_vs_random.expect("paired");
    assert_eq!((pr.rank, pr.seeds), (3, 2));
    // Same seed → identical results (rayon must not change anything).
    let again = study(&p).expect("study");
    assert_eq!(again.runs, r.runs);
}

#[test]
fn bad_parameters_are_errors() {
    let mut p = tiny_params(RlTaskKind::Dms);
    p.ntk_trials = 100;
    assert!(p.check().is_err());
    let mut p = tiny_params(RlTaskKind::Dms);
    p.lr = f64::NAN;
    assert!(study(&p).is_err());
    assert!(RlTaskKind::parse("flipflop").is_err());
}
