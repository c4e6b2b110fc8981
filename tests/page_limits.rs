//! The page's parameter tables against the core's limits.
//!
//! Each panel declares its controls in one table (`params: [...]` in
//! `www/js/panels/<panel>.js`, read by `www/js/state.js`): key, type,
//! default, min, max. This test reads those tables from the JS source and,
//! for every numeric control of the panels below, sets the core params field
//! the page sets from it (through the page's own mapping: `0 = default`,
//! `−1 = task default`, R max = max(R, R max), …) and runs the core's check
//! (`RunParams::check`, `ActivityParams::check`, `NullParams::check`,
//! `TrainParams::config` + `Trainer::new`, `ExperimentParams::validate`, the
//! planted demo's generator). The page's min, default and max must each be
//! accepted — so no value the page offers is refused by the core — with the
//! other settings at their defaults, or, for the joint rules (at least two
//! windows of the held-out stream, step ≤ samples), at a partner value the
//! page also offers. A numeric control with no entry here fails the test,
//! so a new control must be mapped (or marked page-only with a reason).
#![allow(clippy::unwrap_used)]

use rnnscope::hebbff::RunParams;
use rnnscope::modularity::null::{NullKind, NullParams};
use rnnscope::modularity::synthetic::PlantedParams;
use rnnscope::modularity::{windowed_fc, ActivityParams};
use rnnscope::train::{ExperimentParams, TrainParams, Trainer};
use rnnscope::Result;
use std::collections::BTreeMap;

/// One numeric control of a panel's table.
#[derive(Debug, Clone, Copy)]
struct Control {
    default: f64,
    min: f64,
    max: f64,
}

/// The numeric (`int`/`float`) controls of `www/js/panels/<panel>.js`.
fn table(panel: &str) -> BTreeMap<String, Control> {
    let path = format!("{}/www/js/panels/{panel}.js", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap();
    let mut out = BTreeMap::new();
    for line in src.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("{ key: '") else {
            continue;
        };
        // Fields come before the help text (which may hold anything).
        let head = line.split(", help:").next().unwrap();
        let key = rest.split('\'').next().unwrap().to_string();
        let ty = field(head, "type").unwrap_or_default();
        if ty != "'int'" && ty != "'float'" {
            continue;
        }
        let num = |name: &str| -> f64 {
            field(head, name)
                .unwrap_or_else(|| panic!("{panel}.js: control {key} has no {name}"))
                .parse()
                .unwrap_or_else(|e| panic!("{panel}.js: control {key}: {name}: {e}"))
        };
        let c = Control {
            default: num("default"),
            min: num("min"),
            max: num("max"),
        };
        assert!(
            c.min <= c.default && c.default <= c.max,
            "{panel}.{key}: {c:?}"
        );
        out.insert(key, c);
    }
    assert!(!out.is_empty(), "no numeric controls read from {path}");
    out
}

/// The value text of `name: value` in one table row.
fn field(head: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}: ");
    let i = head.find(&pat)? + pat.len();
    let v: String = head[i..]
        .chars()
        .take_while(|&ch| ch != ',' && ch != ' ')
        .collect();
    Some(v)
}

/// A panel's numeric controls by key.
type Table = BTreeMap<String, Control>;

/// Apply the page's value (with its partners) and run the core's check.
type CoreCheck = Box<dyn Fn(f64, &Table) -> Result<()>>;

/// How a control reaches the core.
enum Rule {
    /// Checked by the core.
    Core(CoreCheck),
    /// Not a core parameter (the reason is the documentation).
    PageOnly(&'static str),
}

fn core(f: impl Fn(f64, &BTreeMap<String, Control>) -> Result<()> + 'static) -> Rule {
    Rule::Core(Box::new(f))
}

/// Every numeric control of `panel` is in `rules` (and vice versa), and each
/// Core rule accepts the page's min, default and max.
fn check_panel(panel: &str, rules: Vec<(&str, Rule)>) {
    let t = table(panel);
    let rules: BTreeMap<&str, Rule> = rules.into_iter().collect();
    for key in t.keys() {
        assert!(
            rules.contains_key(key.as_str()),
            "{panel}.js control `{key}` has no rule in tests/page_limits.rs: map it to the core \
             params field it sets (or mark it page-only)"
        );
    }
    let mut checked = 0;
    for (key, rule) in &rules {
        let c = t
            .get(*key)
            .unwrap_or_else(|| panic!("rule for `{key}`, which {panel}.js does not have"));
        match rule {
            Rule::Core(f) => {
                for v in [c.min, c.default, c.max] {
                    if let Err(e) = f(v, &t) {
                        panic!(
                            "{panel}.js offers {key} = {v} (range [{}, {}]) but the core refuses it: {e}",
                            c.min, c.max
                        );
                    }
                    checked += 1;
                }
            }
            Rule::PageOnly(why) => assert!(!why.is_empty()),
        }
    }
    assert!(checked > 0);
}

/// `v` as a count (the page's int controls are whole numbers).
fn n(v: f64) -> usize {
    assert!(v >= 0.0 && v.fract() == 0.0, "{v}");
    v as usize
}

/// A partner value the page offers: `want` clamped to the control's range.
fn partner(t: &BTreeMap<String, Control>, key: &str, want: f64) -> f64 {
    let c = t[key];
    assert!(
        (c.min..=c.max).contains(&want),
        "the joint rule needs {key} = {want}, outside the page's [{}, {}]",
        c.min,
        c.max
    );
    want
}

fn hebb(f: impl Fn(&mut RunParams, f64, &BTreeMap<String, Control>) + 'static) -> Rule {
    core(move |v, t| {
        // The page's settings object (hebbff-common.js runParams): the page
        // defaults, 0 = the data mode's default.
        let mut rp = RunParams {
            keep_allegiance: true,
            ..RunParams::default()
        };
        f(&mut rp, v, t);
        rp.check().map(|_| ())
    })
}

#[test]
fn hebbff_table_within_the_core_limits() {
    let zero_none = |v: f64| (v > 0.0).then(|| n(v));
    check_panel(
        "hebbff",
        vec![
            ("n", hebb(|r, v, _| r.n = n(v))),
            ("m", hebb(|r, v, _| r.m = n(v))),
            (
                "r",
                hebb(|r, v, _| {
                    r.r_min = n(v);
                    r.r_max = r.r_min;
                }),
            ),
            // r_max = max(R, R max) (0 = fixed R).
            ("rmax", hebb(|r, v, _| r.r_max = r.r_min.max(n(v)))),
            ("p", hebb(|r, v, _| r.p = v)),
            ("seqlen", hebb(move |r, v, _| r.seq_len = zero_none(v))),
            ("epochs", hebb(move |r, v, _| r.epochs = zero_none(v))),
            ("every", hebb(move |r, v, _| r.eval_every = zero_none(v))),
            ("lr", hebb(|r, v, _| r.lr = v)),
            // At least two windows of the held-out stream: T with Z ≤ T/2.
            (
                "testlen",
                hebb(|r, v, t| {
                    r.test_len = n(v);
                    let z = (r.window as f64).min((v / 2.0).floor());
                    r.window = n(partner(t, "window", z));
                }),
            ),
            (
                "window",
                hebb(|r, v, t| {
                    r.window = n(v);
                    let tl = (r.test_len as f64).max(2.0 * v);
                    r.test_len = n(partner(t, "testlen", tl));
                }),
            ),
            ("runs", hebb(|r, v, _| r.runs = n(v))),
            (
                "nullSamples",
                hebb(|r, v, _| {
                    r.null = Some(NullKind::Connectional);
                    r.null_samples = n(v);
                }),
            ),
            ("seed", hebb(|r, v, _| r.seed = v as u64)),
            (
                "instances",
                Rule::PageOnly("study size: the page's worker pool (the CLI's --instances)"),
            ),
            (
                "corrwin",
                Rule::PageOnly(
                    "the study summary's window: checked against the number of snapshots \
                     (3…snapshots) when the summary is computed",
                ),
            ),
        ],
    );
}

/// The modularity panel's settings as its job passes them: the core's
/// ActivityParams on the planted demo (60 units, 20 windows of Z samples).
fn modularity(
    f: impl Fn(&mut ActivityParams, &mut PlantedParams, f64, &BTreeMap<String, Control>) + 'static,
) -> Rule {
    core(move |v, t| {
        let mut ap = ActivityParams::hebbff();
        ap.multilayer.runs = 5;
        let mut pp = PlantedParams::default();
        f(&mut ap, &mut pp, v, t);
        pp.window = ap.window;
        ap.check()?;
        let (x, _) = pp.generate()?;
        windowed_fc(x.view(), ap.window, ap.step).map(|_| ())
    })
}

#[test]
fn modularity_table_within_the_core_limits() {
    check_panel(
        "modularity",
        vec![
            ("window", modularity(|a, _, v, _| a.window = n(v))),
            // 0 = disjoint (None); a step needs that many samples: the
            // demo's T = 20 Z, so Z ≥ step / 20.
            (
                "step",
                modularity(|a, _, v, t| {
                    a.step = (v > 0.0).then(|| n(v));
                    let z = (a.window as f64).max((v / 20.0).ceil());
                    a.window = n(partner(t, "window", z));
                }),
            ),
            ("omega", modularity(|a, _, v, _| a.multilayer.omega = v)),
            (
                "gamma",
                modularity(|a, _, v, _| a.multilayer.gamma_pos = vec![v]),
            ),
            (
                "gammaNeg",
                modularity(|a, _, v, _| a.multilayer.gamma_neg = vec![v]),
            ),
            ("runs", modularity(|a, _, v, _| a.multilayer.runs = n(v))),
            (
                "seed",
                modularity(|a, p, v, _| {
                    a.multilayer.seed = v as u64;
                    p.seed = v as u64;
                }),
            ),
            (
                "nullSamples",
                core(|v, _| {
                    NullParams {
                        kind: NullKind::Connectional,
                        samples: n(v),
                        seed: 1,
                    }
                    .check()
                }),
            ),
        ],
    );
}

/// The training panel's run (training.js trainParams → wasm `Training`:
/// `TrainParams::config`, `penalty`, `Trainer::new`).
fn training(f: impl Fn(&mut TrainParams, f64) + 'static) -> Rule {
    core(move |v, _| {
        let mut p = TrainParams::default();
        f(&mut p, v);
        let cfg = p.config()?;
        let (_, pen) = p.penalty()?;
        Trainer::new(cfg, pen).map(|_| ())
    })
}

/// One RL policy (training.js → wasm `RlTraining`: the core's `RlParams`).
fn rl(f: impl Fn(&mut rnnscope::train::rl_run::RlParams, f64) + 'static) -> Rule {
    core(move |v, _| {
        let mut p = rnnscope::train::rl_run::RlParams::default();
        f(&mut p, v);
        p.check()?;
        p.config().map(|_| ())
    })
}

/// The poster experiments (training.js → wasm `TrainExperiment`).
fn experiment(f: impl Fn(&mut ExperimentParams, f64) + 'static) -> Rule {
    core(move |v, _| {
        let mut p = ExperimentParams {
            n: 32,
            seeds: 3,
            iters: 800,
            lambda: 0.001,
            kick: 0.5,
            test_trials: 128,
            ..ExperimentParams::default()
        };
        f(&mut p, v);
        p.validate().map(|_| ())
    })
}

#[test]
fn training_table_within_the_core_limits() {
    check_panel(
        "training",
        vec![
            ("n", training(|p, v| p.n = n(v))),
            ("batch", training(|p, v| p.batch = n(v))),
            ("lr", training(|p, v| p.lr = v)),
            ("iters", training(|p, v| p.iters = v as u64)),
            ("target", training(|p, v| p.stop_at_accuracy = v)),
            // −1: the task's default.
            (
                "noise",
                training(|p, v| p.input_noise = (v >= 0.0).then_some(v)),
            ),
            ("truncate", training(|p, v| p.truncate = n(v))),
            ("l2", training(|p, v| p.lambda = v)),
            ("seed", training(|p, v| p.seed = v as u64)),
            ("rliters", rl(|p, v| p.iters = v as u64)),
            ("rlbatch", rl(|p, v| p.batch = n(v))),
            ("rllr", rl(|p, v| p.lr = v)),
            ("xn", experiment(|p, v| p.n = n(v))),
            ("xseeds", experiment(|p, v| p.seeds = n(v))),
            ("xiters", experiment(|p, v| p.iters = v as u64)),
            ("xlambda", experiment(|p, v| p.lambda = v)),
            ("xkick", experiment(|p, v| p.kick = v)),
        ],
    );
}

/// The rules do reach the core: values it refuses fail them.
#[test]
fn rules_refuse_what_the_core_refuses() {
    let t = table("hebbff");
    let refused = |r: Rule, v: f64, t: &BTreeMap<String, Control>| match r {
        Rule::Core(f) => f(v, t).unwrap_err().to_string(),
        Rule::PageOnly(_) => unreachable!(),
    };
    assert!(refused(hebb(|r, v, _| r.m = n(v)), 5000.0, &t).contains("hidden units"));
    // One window of a 200-item stream.
    let e = refused(
        hebb(|r, v, _| (r.test_len, r.window) = (200, n(v))),
        150.0,
        &t,
    );
    assert!(e.contains("`window`"), "{e}");
    let m = table("modularity");
    let e = refused(modularity(|a, _, v, _| a.multilayer.omega = v), 2e6, &m);
    assert!(e.contains("`omega`"), "{e}");
    let e = refused(modularity(|a, _, v, _| a.step = Some(n(v))), 5000.0, &m);
    assert!(e.contains("`step`"), "{e}");
    let tr = table("training");
    let e = refused(training(|p, v| p.n = n(v)), 2000.0, &tr);
    assert!(e.contains("`n`"), "{e}");
}

/// The parser reads what state.js reads (a guard against a silent no-op).
#[test]
fn tables_are_read() {
    let t = table("hebbff");
    assert_eq!((t["window"].min, t["window"].default), (5.0, 50.0));
    assert_eq!(t["lr"].min, 0.00001);
    assert!(!t.contains_key("data"), "selects are not numeric controls");
}

/// Dynamics: W from the ensemble, the simulation and the fixed points.
#[test]
fn dynamics_table_within_the_core_limits() {
    use ndarray::Array2;
    use rnnscope::dynamics::{find_fixed_points, Activation, Input, NewtonOpts, Params, Simulator};
    use rnnscope::ensembles::Ensemble;
    let sim = |f: fn(&mut Params, f64)| {
        core(move |v, _| {
            let mut p = Params::default();
            f(&mut p, v);
            Simulator::new(Array2::zeros((3, 3)), vec![0.0; 3], p, Input::None, 1).map(|_| ())
        })
    };
    check_panel(
        "dynamics",
        vec![
            (
                "n",
                core(|v, _| Ensemble::from_kind("gaussian", 0.0, 0.0)?.build(n(v), 1.5, 1).map(|_| ())),
            ),
            (
                "g",
                core(|v, _| Ensemble::from_kind("gaussian", 0.0, 0.0)?.build(10, v, 1).map(|_| ())),
            ),
            (
                "a",
                Rule::PageOnly("ensemble-specific (p, E fraction, rank, α, κ): its range depends on the kind; Ensemble::from_kind refuses bad values with a named error the page shows"),
            ),
            ("b", Rule::PageOnly("ensemble-specific, as `a`")),
            ("tau", sim(|p, v| p.tau = v)),
            ("sigma", sim(|p, v| p.sigma = v)),
            (
                "input",
                core(|v, _| {
                    let opts = NewtonOpts {
                        starts: 1,
                        ..NewtonOpts::default()
                    };
                    find_fixed_points(&Array2::zeros((3, 3)), 1.0, Activation::Tanh, &[v; 3], &opts)
                        .map(|_| ())
                }),
            ),
            (
                "seed",
                core(|v, _| Ensemble::from_kind("gaussian", 0.0, 0.0)?.build(5, 1.0, v as u64).map(|_| ())),
            ),
            ("yaw", Rule::PageOnly("the 3-D view's camera angle")),
        ],
    );
}

/// Motifs: the threshold rule, the random graph and the null.
#[test]
fn motifs_table_within_the_core_limits() {
    use rnnscope::motifs::Threshold;
    use rnnscope::motifs::{
        census, erdos_renyi, null_sample_counts, null_stats, NullModel, MAX_SAMPLES,
    };
    check_panel(
        "motifs",
        vec![
            ("keep", core(|v, _| Threshold::Keep { keep: v }.check())),
            ("minAbs", core(|v, _| Threshold::Abs { min_abs: v }.check())),
            ("n", core(|v, _| erdos_renyi(n(v), 0.1, 1).map(|_| ()))),
            ("density", core(|v, _| erdos_renyi(30, v, 1).map(|_| ()))),
            (
                "seed",
                core(|v, _| erdos_renyi(30, 0.1, v as u64).map(|_| ())),
            ),
            (
                "samples",
                core(|v, _| {
                    // What the panel runs: v null samples, then their statistics.
                    let g = erdos_renyi(8, 0.3, 1)?;
                    rnnscope::error::check_size("samples", n(v), 2, MAX_SAMPLES)?;
                    let obs = census(&g)?.counts;
                    let null: Vec<[u64; 13]> = (0..n(v) as u64)
                        .map(|k| null_sample_counts(&g, NullModel::Swap, 1, k))
                        .collect::<Result<_>>()?;
                    null_stats(&obs, &null).map(|_| ())
                }),
            ),
            (
                "nullSeed",
                core(|v, _| {
                    let g = erdos_renyi(8, 0.3, 1)?;
                    null_sample_counts(&g, NullModel::Swap, v as u64, 0).map(|_| ())
                }),
            ),
        ],
    );
}

/// Learning: curl descent's `CurlParams` and rich/lazy's `Params`.
#[test]
fn learning_table_within_the_core_limits() {
    use rnnscope::curl::model::{CurlParams, Side};
    use rnnscope::richlazy::{Params as RlParams, RlTaskKind};
    let curl = |f: fn(&mut CurlParams, f64)| {
        core(move |v, _| {
            let mut p = CurlParams::default();
            f(&mut p, v);
            p.check()
        })
    };
    let rich = |f: fn(&mut RlParams, f64)| {
        core(move |v, _| {
            let mut p = RlParams::new(RlTaskKind::Decision);
            f(&mut p, v);
            p.check()
        })
    };
    check_panel(
        "learning",
        vec![
            ("d", curl(|p, v| p.input_dim = n(v))),
            ("m", curl(|p, v| p.teacher = n(v))),
            ("k", curl(|p, v| p.student = n(v))),
            // Flips are bounded by their layer's width, a joint limit (the
            // core names it): on the col side layer 1 flips inputs (≤ d) and
            // layer 2 hidden units (≤ K); test each at the page's widest.
            (
                "fl1",
                curl(|p, v| (p.side, p.input_dim, p.flipped_l1) = (Side::Col, 200, n(v))),
            ),
            (
                "fl2",
                curl(|p, v| (p.side, p.student, p.flipped_l2) = (Side::Col, 200, n(v))),
            ),
            ("scale", curl(|p, v| p.init_scale = v)),
            ("lr", curl(|p, v| p.lr = v)),
            ("epochs", curl(|p, v| p.epochs = n(v))),
            ("seed", curl(|p, v| p.seed = v as u64)),
            ("n", rich(|p, v| p.n = n(v))),
            ("iters", rich(|p, v| p.iters = n(v))),
            ("rlr", rich(|p, v| p.lr = v)),
            ("rseeds", rich(|p, v| p.seeds = n(v))),
        ],
    );
}
