//! `train-experiment … --shard K/S --out DIR` and `train-experiment merge`:
//! the poster experiments split across processes (Slurm array tasks).
//!
//! The unit of work is a seed index k (0-based) with its network in every
//! group: network k of every group starts from seed `seed + k`, and all test
//! trials, noise draws and kicks depend only on `test_seed`, so the
//! experiment with `seeds = 1, seed = seed + k` computes exactly network k of
//! every group of the full experiment. Seed index k belongs to shard K iff
//! k mod S = K − 1 (see `rnnscope::hebbff::shard`). The merge assembles the
//! group statistics from the per-network rows exactly as
//! `Experiment::report` does (mean, sd, sem by `mean_err` in network order);
//! `tests/shard.rs` checks that the merged report equals the one-process one.

use rayon::prelude::*;
use rnnscope::hebbff::shard::{self, ShardFile, ShardItem, ShardSpec};
use rnnscope::significance::pairwise_tests;
use rnnscope::train::experiments::{mean_err, Experiment, ExperimentParams, GroupCurve, MeanErr};
use rnnscope::train::groups::{GroupWeightStats, WeightStats};
use rnnscope::{Error, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The `kind` of a train-experiment shard file.
const KIND: &str = "train-experiment";

fn params_value(p: &ExperimentParams, noise: bool, perturb: bool) -> Result<Value> {
    let e = serde_json::to_value(p).map_err(|e| Error::Format(e.to_string()))?;
    Ok(json!({"experiment": e, "noise": noise, "perturbation": perturb}))
}

/// Compute shard `spec` of the experiment into `dir` (skipped when a
/// complete shard file for the same parameters is already there).
pub fn run_shard(
    p: ExperimentParams,
    noise: bool,
    perturb: bool,
    spec: ShardSpec,
    dir: &Path,
    quiet: bool,
) -> Result<Value> {
    p.validate()?;
    // A matched group's ‖W‖_F target is the mean over the whole Level-3
    // group, which no single shard sees.
    if (0..p.groups.len()).any(|g| p.group_name(g) == "matched") {
        return Err(Error::param(
            "shard",
            "--group matched takes its norm from the whole Level-3 group: run it without --shard",
        ));
    }
    let pv = params_value(&p, noise, perturb)?;
    let total = p.seeds;
    let path = dir.join(spec.file_name());
    if path.exists() {
        if let Ok(f) = ShardFile::<Value>::read(&path) {
            if f.is_complete_for(KIND, spec, total, &pv) {
                return Ok(json!({"shard": spec.to_string(), "file": path, "skipped": true}));
            }
        }
    }
    let mine = spec.items(total);
    let start = std::time::Instant::now();
    let items: Vec<ShardItem<Value>> = mine
        .par_iter()
        .map(|&k| {
            let mut one = p.clone();
            one.seeds = 1;
            one.seed = p.seed.wrapping_add(k as u64);
            let mut exp = Experiment::new(one)?;
            let per_net = exp.params().iters.max(1);
            exp.train(per_net, |_, _| {})?;
            let r = exp.report(noise, perturb)?;
            if !quiet {
                eprintln!(
                    "train-experiment shard {spec}: seed index {k} done ({:.0} s)",
                    start.elapsed().as_secs_f64()
                );
            }
            let result = serde_json::to_value(&r).map_err(|e| Error::Format(e.to_string()))?;
            Ok(ShardItem { index: k, result })
        })
        .collect::<Result<_>>()?;
    let secs = start.elapsed().as_secs_f64();
    let file = ShardFile::new(KIND, spec, total, &pv, items, secs)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    let path = file.write(dir)?;
    Ok(
        json!({"shard": spec.to_string(), "file": path, "skipped": false,
              "seed_indices": mine, "seconds": secs}),
    )
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Result<&'a Value> {
    let mut cur = v;
    for k in path {
        cur = cur
            .get(k)
            .ok_or_else(|| Error::Format(format!("shard result lacks {}", path.join("."))))?;
    }
    Ok(cur)
}

fn f64s(v: &Value, what: &str) -> Result<Vec<f64>> {
    v.as_array()
        .ok_or_else(|| Error::Format(format!("{what}: not an array")))?
        .iter()
        // serde_json writes NaN as null.
        .map(|x| {
            Ok(if x.is_null() {
                f64::NAN
            } else {
                x.as_f64()
                    .ok_or_else(|| Error::Format(format!("{what}: not a number")))?
            })
        })
        .collect()
}

fn num(v: &Value, what: &str) -> Result<f64> {
    if v.is_null() {
        return Ok(f64::NAN);
    }
    v.as_f64()
        .ok_or_else(|| Error::Format(format!("{what}: not a number")))
}

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value> {
    serde_json::to_value(t).map_err(|e| Error::Format(e.to_string()))
}

/// Row `[g].per_network[0]` of curve `path` of every unit.
fn rows(units: &[Value], path: &[&str], g: usize) -> Result<Vec<Vec<f64>>> {
    units
        .iter()
        .map(|u| {
            let c = &field(u, path)?[g];
            f64s(&c["per_network"][0], &path.join("."))
        })
        .collect()
}

/// Mean, sd and sem per point of the per-network rows, as the core builds them.
fn curve(group: String, rows: Vec<Vec<f64>>) -> GroupCurve {
    GroupCurve::from_rows(group, rows)
}

/// The full report from the one-network-per-group reports of seed indices
/// 0 … K−1 (in order), as `Experiment::report` builds it.
fn assemble(params: &Value, units: &[Value]) -> Result<Value> {
    let first = units
        .first()
        .ok_or_else(|| Error::Format("no networks to merge".into()))?;
    let names: Vec<String> = field(first, &["groups"])?
        .as_array()
        .ok_or_else(|| Error::Format("shard result: groups is not an array".into()))?
        .iter()
        .map(|g| g["group"].as_str().unwrap_or_default().to_string())
        .collect();
    let g_n = names.len();
    // Networks group-major: network k of group g at g·K + k.
    let mut networks = vec![];
    for g in 0..g_n {
        for u in units {
            networks.push(field(u, &["networks"])?[g].clone());
        }
    }
    let mut groups = vec![];
    for name in &names {
        let mine: Vec<&Value> = networks
            .iter()
            .filter(|n| n["group"].as_str() == Some(name))
            .collect();
        let lv = |l: usize| -> Result<MeanErr> {
            let v: Vec<f64> = mine
                .iter()
                .map(|n| num(&n["levels_after"][l], "levels_after"))
                .collect::<Result<_>>()?;
            Ok(mean_err(&v))
        };
        let acc: Vec<f64> = mine
            .iter()
            .map(|n| num(&n["test_accuracy"], "test_accuracy"))
            .collect::<Result<_>>()?;
        let ws: Vec<WeightStats> = mine
            .iter()
            .map(|n| {
                serde_json::from_value(n["weights"].clone())
                    .map_err(|e| Error::Format(format!("shard result: network weights: {e}")))
            })
            .collect::<Result<_>>()?;
        let w = GroupWeightStats::of(&ws);
        groups.push(json!({
            "group": name,
            "levels_after": [to_value(&lv(0)?)?, to_value(&lv(1)?)?, to_value(&lv(2)?)?],
            "test_accuracy": to_value(&mean_err(&acc))?,
            "frobenius": to_value(&w.frobenius)?,
            "spectral_radius": to_value(&w.spectral_radius)?,
            "density": to_value(&w.density)?,
        }));
    }
    let permutations = field(params, &["experiment", "permutations"])?
        .as_u64()
        .ok_or_else(|| Error::Format("shard parameters: permutations".into()))?
        as usize;
    let test_seed = field(params, &["experiment", "test_seed"])?
        .as_u64()
        .ok_or_else(|| Error::Format("shard parameters: test_seed".into()))?;
    let mut report = json!({
        "params": params["experiment"],
        "networks": networks,
        "groups": groups,
    });
    if first.get("noise").is_some() {
        let mut curves = vec![];
        for (g, name) in names.iter().enumerate() {
            curves.push(curve(name.clone(), rows(units, &["noise", "accuracy"], g)?));
        }
        let levels = f64s(&first["noise"]["noise_levels"], "noise_levels")?;
        let tests = pairwise_tests(&levels, &curves, permutations, test_seed)?;
        report["noise"] = json!({
            "noise_kind": first["noise"]["noise_kind"],
            "noise_levels": first["noise"]["noise_levels"],
            "test_trials": first["noise"]["test_trials"],
            "accuracy": to_value(&curves)?,
            "tests": to_value(&tests)?,
        });
    }
    if first.get("perturbation").is_some() {
        let (mut dev, mut lat, mut mdev, mut mlat, mut late) =
            (vec![], vec![], vec![], vec![], vec![]);
        let avg = |r: &[f64]| r.iter().sum::<f64>() / r.len() as f64;
        for (g, name) in names.iter().enumerate() {
            let d = rows(units, &["perturbation", "output_deviation"], g)?;
            let l = rows(units, &["perturbation", "latent_distance"], g)?;
            mdev.push(to_value(&mean_err(
                &d.iter().map(|r| avg(r)).collect::<Vec<_>>(),
            ))?);
            mlat.push(to_value(&mean_err(
                &l.iter().map(|r| avg(r)).collect::<Vec<_>>(),
            ))?);
            // The last 10 steps of the horizon (rows have horizon + 1 points).
            late.push(to_value(&mean_err(
                &d.iter()
                    .map(|r| avg(&r[r.len() - 10.min(r.len())..]))
                    .collect::<Vec<_>>(),
            ))?);
            dev.push(curve(name.clone(), d));
            lat.push(curve(name.clone(), l));
        }
        let lv = f64s(&first["perturbation"]["steps"], "steps")?;
        let tests = pairwise_tests(&lv, &dev, permutations, test_seed)?;
        let latent_tests = pairwise_tests(&lv, &lat, permutations, test_seed)?;
        report["perturbation"] = json!({
            "steps": first["perturbation"]["steps"],
            "output_deviation": to_value(&dev)?,
            "latent_distance": to_value(&lat)?,
            "tests": to_value(&tests)?,
            "latent_tests": to_value(&latent_tests)?,
            "mean_output_deviation": mdev,
            "mean_latent_distance": mlat,
            "late_output_deviation": late,
        });
    }
    Ok(report)
}

/// Write `report` (no timings) to `dir/report.json` atomically.
pub fn write_report(dir: &Path, report: &Value) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    shard::write_atomic(&dir.join("report.json"), report.to_string().as_bytes())
}

/// `train-experiment merge INPUTS… --out OUT`: check and merge the shards,
/// write OUT/report.json (identical to the one-process run's) and OUT/timings.json.
pub fn merge(inputs: &[PathBuf], out: Option<&Path>) -> Result<Value> {
    let out = out.ok_or_else(|| Error::param("out", "merge needs --out DIR"))?;
    if inputs.is_empty() {
        return Err(Error::param(
            "inputs",
            "give the shard directories or files to merge",
        ));
    }
    let m = shard::merge_paths::<Value>(KIND, inputs)?;
    let report = assemble(&m.params, &m.items)?;
    let timings: Vec<Value> = m
        .seconds
        .iter()
        .map(|(s, t)| json!({"shard": s.to_string(), "seconds": t}))
        .collect();
    write_report(out, &report)?;
    shard::write_atomic(
        &out.join("timings.json"),
        json!({"shards": timings}).to_string().as_bytes(),
    )?;
    let mut v = report;
    v["seconds"] = json!({"shards": timings});
    Ok(v)
}
