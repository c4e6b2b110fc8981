//! `--shard K/S --out DIR` and `… merge DIR… --out OUT` for studies made of
//! independent work items (`hebbff study`, `curl-phase`, `richlazy`), on the one shard
//! machinery of `rnnscope::hebbff::shard`: the same shard-file format,
//! round-robin assignment (item i belongs to shard i mod S + 1), atomic
//! writes, skip-if-complete and merge checks as `train-experiment`.
//!
//! The one-process run is the merge of its single shard 1/1, read back from
//! its JSON text ([`run`]), so its `report.json` is byte-identical to the one
//! `merge` writes from any number of shards with the same arguments. Timings
//! go to `timings.json` only. `hebbff study` writes other files from the
//! merge ([`run_with`] takes its own finishing step).

use clap::{Args, Subcommand};
use rayon::prelude::*;
use rnnscope::hebbff::shard::{self, Merged, ShardFile, ShardItem, ShardSpec};
use rnnscope::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `merge` subcommand of a shardable study.
#[derive(Subcommand)]
pub enum MergeCmd {
    /// Merge the shard files of `--shard K/S` runs into OUT/report.json
    /// (identical to the one-process `--out` run's) and OUT/timings.json.
    Merge(MergeArgs),
}

#[derive(Args)]
pub struct MergeArgs {
    /// Shard directories (every shard-*.json in them) or shard files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for report.json and timings.json (written only if the merge succeeds).
    #[arg(long)]
    pub out: PathBuf,
}

/// One shardable study.
pub struct Study<'a> {
    /// The shard files' `kind`.
    pub kind: &'static str,
    /// The progress lines' prefix (the command's name).
    pub name: &'static str,
    /// The key of the item list in a shard run's JSON (`items`; `hebbff
    /// study`: `instances`).
    pub items_key: &'static str,
    /// Every parameter the results depend on (shards merge only if equal).
    pub params: &'a Value,
    /// Work items in the whole study.
    pub total: usize,
}

/// Run `study`: with `shard = Some("K/S")` only that shard's items, written to
/// `out/shard-KKKK-of-SSSS.json` (a complete file for the same study is
/// skipped); without, every item, then `report` of the merge of the single
/// shard 1/1 read back from JSON, written to `out/report.json` (and
/// `out/timings.json`) when `out` is given. Items run in parallel on the
/// current rayon pool; `compute(i)` computes item i, `label(i)` names it in
/// progress lines.
///
/// # Errors
/// A bad `--shard`; `--shard` without `--out`; an unwritable `--out`; the
/// first failing item; `report`'s errors.
pub fn run<T, C, L, R>(
    study: Study<'_>,
    shard: Option<&str>,
    out: Option<&Path>,
    compute: C,
    label: L,
    report: R,
) -> Result<Value>
where
    T: Serialize + DeserializeOwned + Send,
    C: Fn(usize) -> Result<T> + Sync,
    L: Fn(usize) -> String + Sync,
    R: FnOnce(Merged<T>) -> Result<Value>,
{
    run_with(study, shard, out, compute, label, |m, out| {
        finish(m, out, report)
    })
}

/// As [`run`], with `finish(merged, out)` in place of the `report.json`
/// step: what a one-process run (no `shard`) returns and writes.
///
/// # Errors
/// As [`run`], with `finish`'s errors in place of `report`'s.
pub fn run_with<T, C, L, F>(
    study: Study<'_>,
    shard: Option<&str>,
    out: Option<&Path>,
    compute: C,
    label: L,
    finish: F,
) -> Result<Value>
where
    T: Serialize + DeserializeOwned + Send,
    C: Fn(usize) -> Result<T> + Sync,
    L: Fn(usize) -> String + Sync,
    F: FnOnce(Merged<T>, Option<&Path>) -> Result<Value>,
{
    let Study {
        kind,
        name,
        items_key,
        params,
        total,
    } = study;
    let spec = shard.map(ShardSpec::parse).transpose()?;
    if let Some(dir) = out {
        super::output::check_dir_out("out", dir)?;
    }
    if let Some(spec) = spec {
        let dir = out.ok_or_else(|| {
            Error::param(
                "out",
                "--shard needs --out DIR (the shard file is written there)",
            )
        })?;
        let path = dir.join(spec.file_name());
        if path.exists() {
            match ShardFile::<T>::read(&path) {
                Ok(f) if f.is_complete_for(kind, spec, total, params) => {
                    super::output::note(&format!(
                        "{name}: {} is complete, skipped",
                        path.display()
                    ));
                    return Ok(json!({"shard": spec.to_string(), "file": path,
                                     "skipped": true, items_key: f.items.len()}));
                }
                Ok(_) => super::output::note(&format!(
                    "{name}: {} is from other parameters or incomplete: recomputing",
                    path.display()
                )),
                Err(e) => super::output::note(&format!("{name}: {e}: recomputing")),
            }
        }
    }
    let spec1 = spec.unwrap_or(ShardSpec { index: 1, count: 1 });
    let mine = spec1.items(total);
    let done = AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let items: Vec<ShardItem<T>> = mine
        .par_iter()
        .map(|&i| {
            let result = compute(i)?;
            let d = done.fetch_add(1, Ordering::SeqCst) + 1;
            super::output::note(&format!(
                "{name}: {} done ({d}/{}, {:.0} s)",
                label(i),
                mine.len(),
                start.elapsed().as_secs_f64()
            ));
            Ok(ShardItem { index: i, result })
        })
        .collect::<Result<_>>()?;
    let secs = start.elapsed().as_secs_f64();
    let file = ShardFile::new(kind, spec1, total, params, items, secs)?;
    match (spec, out) {
        (Some(spec), Some(dir)) => {
            let path = file.write(dir)?;
            Ok(
                json!({"shard": spec.to_string(), "file": path, "skipped": false,
                      items_key: mine, "seconds": secs}),
            )
        }
        _ => {
            // The same code path (and numbers) as `merge` of a sharded run.
            let back = ShardFile::from_json(&file.to_json()?, "this run's results")?;
            finish(shard::merge(kind, vec![("this run".into(), back)])?, out)
        }
    }
}

/// `merge INPUTS… --out OUT` of a study of `kind`.
///
/// # Errors
/// As [`shard::merge_paths`] (missing, duplicated or foreign shards and
/// items, differing parameters — nothing is written then) and `report`'s.
pub fn merge<T, R>(kind: &str, a: &MergeArgs, report: R) -> Result<Value>
where
    T: Serialize + DeserializeOwned,
    R: FnOnce(Merged<T>) -> Result<Value>,
{
    let m = shard::merge_paths::<T>(kind, &a.inputs)?;
    finish(m, Some(&a.out), report)
}

/// The report of a complete study; with `out`, written to `out/report.json`
/// (no timings) and `out/timings.json` (seconds per shard). The returned JSON
/// is the report plus `seconds` (summed over shards) and `timings`.
fn finish<T, R>(m: Merged<T>, out: Option<&Path>, report: R) -> Result<Value>
where
    R: FnOnce(Merged<T>) -> Result<Value>,
{
    let (timings, sum) = timings(&m);
    let mut v = report(m)?;
    if !v.is_object() {
        return Err(Error::Format("a study report must be a JSON object".into()));
    }
    if let Some(dir) = out {
        super::output::check_dir_out("out", dir)?;
        shard::write_atomic(&dir.join("report.json"), v.to_string().as_bytes())?;
        shard::write_atomic(&dir.join("timings.json"), timings.to_string().as_bytes())?;
    }
    v["seconds"] = json!(sum);
    v["timings"] = timings;
    Ok(v)
}

/// The `timings.json` of a merged study (seconds per shard and their sum)
/// and that sum.
pub fn timings<T>(m: &Merged<T>) -> (Value, f64) {
    let shard_secs: Vec<Value> = m
        .seconds
        .iter()
        .map(|(s, t)| json!({"shard": s.to_string(), "seconds": t}))
        .collect();
    let sum: f64 = m.seconds.iter().map(|(_, t)| t).sum();
    (json!({"shards": shard_secs, "sum_seconds": sum}), sum)
}

/// `x` as JSON, or a format error.
pub fn to_value<T: Serialize>(x: &T) -> Result<Value> {
    serde_json::to_value(x).map_err(|e| Error::Format(format!("to JSON: {e}")))
}

/// Field `key` of the stored study parameters, deserialized.
///
/// # Errors
/// [`Error::Format`] naming the field if it is missing or malformed.
pub fn param<T: DeserializeOwned>(params: &Value, key: &str) -> Result<T> {
    let v = params
        .get(key)
        .ok_or_else(|| Error::Format(format!("study parameters lack `{key}`")))?;
    serde_json::from_value(v.clone())
        .map_err(|e| Error::Format(format!("study parameters: `{key}`: {e}")))
}
