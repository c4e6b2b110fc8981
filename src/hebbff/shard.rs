//! Sharding a study across processes (e.g. the tasks of a Slurm job array)
//! and merging the shards back, exactly.
//!
//! A study of `total` independent items (HebbFF instances, poster-experiment
//! networks) is split into `S` shards. **Assignment:** item `i` (0-based)
//! belongs to shard `K` (1-based) iff `i mod S = K − 1`. Shards are therefore
//! balanced (sizes differ by at most one), and every item keeps the seed it
//! has in the one-process study (item `i` is always run with seed `seed + i`).
//!
//! Each shard writes one self-describing JSON file, [`ShardFile`]:
//!
//! ```json
//! {"format": "rnnscope-shard", "version": 1, "kind": "hebbff-study",
//!  "shard": {"index": 2, "count": 3}, "total": 8,
//!  "params": { … every parameter of the study … },
//!  "items": [{"index": 1, "result": { … }}, {"index": 4, "result": { … }}, …],
//!  "seconds": 12.3}
//! ```
//!
//! named `shard-KKKK-of-SSSS.json` ([`ShardSpec::file_name`]) and written
//! atomically (a temporary file in the same directory, then `rename`), so a
//! killed task never leaves a truncated shard. `seconds` is the only timing
//! and never reaches the merged outputs. [`merge`] checks that all shards come
//! from the same study (same kind, parameters, total and shard count) and that
//! every item is present exactly once, and returns the items in index order.

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `format` tag of every shard file.
pub const SHARD_FORMAT: &str = "rnnscope-shard";
/// The shard-file version this build reads and writes.
pub const SHARD_VERSION: u32 = 1;

/// Shard `index` of `count` (1-based index, as Slurm's array task ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    /// K, 1 ≤ K ≤ S.
    pub index: usize,
    /// S, the number of shards.
    pub count: usize,
}

impl ShardSpec {
    /// Parse `K/S` (the `--shard` flag).
    ///
    /// # Errors
    /// [`Error::Param`] naming `shard` unless `1 ≤ K ≤ S ≤ 100000`.
    pub fn parse(s: &str) -> Result<ShardSpec> {
        let bad = |why: &str| Error::param("shard", format!("expected K/S, {why}, got {s:?}"));
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| bad("e.g. 2/8 for shard 2 of 8"))?;
        let index: usize = k.trim().parse().map_err(|_| bad("K a whole number"))?;
        let count: usize = n.trim().parse().map_err(|_| bad("S a whole number"))?;
        if count == 0 || count > 100_000 {
            return Err(bad("with 1 ≤ S ≤ 100000"));
        }
        if index == 0 || index > count {
            return Err(bad("with 1 ≤ K ≤ S (K is 1-based)"));
        }
        Ok(ShardSpec { index, count })
    }

    /// Whether item `i` (0-based) belongs to this shard: `i mod S = K − 1`.
    pub fn owns(&self, i: usize) -> bool {
        i % self.count == self.index - 1
    }

    /// The items of a study of `total` this shard computes, ascending.
    pub fn items(&self, total: usize) -> Vec<usize> {
        (self.index - 1..total).step_by(self.count).collect()
    }

    /// `shard-KKKK-of-SSSS.json`: sorts in shard order.
    pub fn file_name(&self) -> String {
        format!("shard-{:04}-of-{:04}.json", self.index, self.count)
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One computed item of a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardItem<T> {
    /// Item index in the whole study (0-based).
    pub index: usize,
    /// Its result.
    pub result: T,
}

/// A shard file (see the module docs for the layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardFile<T> {
    /// Always [`SHARD_FORMAT`].
    pub format: String,
    /// Always [`SHARD_VERSION`].
    pub version: u32,
    /// What study: `hebbff-study`, `train-experiment`.
    pub kind: String,
    /// Which shard this is.
    pub shard: ShardSpec,
    /// Items in the whole study.
    pub total: usize,
    /// Every parameter of the study (equal across its shards).
    pub params: Value,
    /// This shard's items, ascending index.
    pub items: Vec<ShardItem<T>>,
    /// Wall time of this shard (the only timing; not merged).
    pub seconds: f64,
}

/// `v` after a trip through JSON text: what a reader of a shard file sees
/// (so in-memory parameters compare equal to parsed ones).
///
/// # Errors
/// [`Error::Format`] if `v` cannot be written as JSON.
pub fn normalize<T: Serialize>(v: &T) -> Result<Value> {
    let s = serde_json::to_string(v).map_err(|e| Error::Format(format!("to JSON: {e}")))?;
    serde_json::from_str(&s).map_err(|e| Error::Format(format!("JSON round trip: {e}")))
}

impl<T: Serialize + DeserializeOwned> ShardFile<T> {
    /// A shard of `kind` with its items (sorted by index here).
    ///
    /// # Errors
    /// The parameters cannot be written as JSON.
    pub fn new(
        kind: &str,
        shard: ShardSpec,
        total: usize,
        params: &Value,
        mut items: Vec<ShardItem<T>>,
        seconds: f64,
    ) -> Result<ShardFile<T>> {
        items.sort_by_key(|it| it.index);
        Ok(ShardFile {
            format: SHARD_FORMAT.into(),
            version: SHARD_VERSION,
            kind: kind.into(),
            shard,
            total,
            params: normalize(params)?,
            items,
            seconds,
        })
    }

    /// The shard as JSON text.
    ///
    /// # Errors
    /// [`Error::Format`] if a result cannot be serialized.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Format(format!("shard to JSON: {e}")))
    }

    /// Parse a shard from JSON text; `what` names it in errors.
    ///
    /// # Errors
    /// [`Error::Format`]: not JSON, not a shard, another version, or items
    /// that are not in ascending order or do not belong to the shard.
    pub fn from_json(text: &str, what: &str) -> Result<ShardFile<T>> {
        Self::parse(text, what, None)
    }

    /// [`Self::from_json`], first checking that the shard is of `kind` (so a
    /// shard of another study is named as such, not as malformed items).
    fn parse(text: &str, what: &str, kind: Option<&str>) -> Result<ShardFile<T>> {
        let head: Value = serde_json::from_str(text)
            .map_err(|e| Error::Format(format!("{what}: not JSON: {e}")))?;
        if head.get("format").and_then(Value::as_str) != Some(SHARD_FORMAT) {
            return Err(Error::Format(format!(
                "{what}: not an rnnscope shard file (no \"format\": \"{SHARD_FORMAT}\")"
            )));
        }
        if head.get("version").and_then(Value::as_u64) != Some(u64::from(SHARD_VERSION)) {
            return Err(Error::Format(format!(
                "{what}: shard version {} (this build reads {SHARD_VERSION})",
                head.get("version").unwrap_or(&Value::Null)
            )));
        }
        if let Some(kind) = kind {
            let got = head.get("kind").and_then(Value::as_str).unwrap_or("?");
            if got != kind {
                return Err(Error::Format(format!("{what}: a {got} shard, not {kind}")));
            }
        }
        let f: ShardFile<T> = serde_json::from_value(head)
            .map_err(|e| Error::Format(format!("{what}: malformed shard: {e}")))?;
        if f.shard.index == 0 || f.shard.index > f.shard.count {
            return Err(Error::Format(format!(
                "{what}: shard {} is not a valid K/S",
                f.shard
            )));
        }
        for w in f.items.windows(2) {
            if w[0].index >= w[1].index {
                return Err(Error::Format(format!(
                    "{what}: instance {} appears more than once or out of order",
                    w[1].index
                )));
            }
        }
        if let Some(it) = f.items.iter().find(|it| !f.shard.owns(it.index)) {
            return Err(Error::Format(format!(
                "{what}: instance {} does not belong to shard {} (instance i belongs to shard i mod S + 1)",
                it.index, f.shard
            )));
        }
        Ok(f)
    }

    /// Read a shard file.
    ///
    /// # Errors
    /// As [`Self::from_json`]; an unreadable file.
    pub fn read(path: &Path) -> Result<ShardFile<T>> {
        Self::read_kind(path, None)
    }

    /// Read a shard file of study `kind` (or any, with `None`).
    ///
    /// # Errors
    /// As [`Self::read`]; a shard of another kind.
    pub fn read_kind(path: &Path, kind: Option<&str>) -> Result<ShardFile<T>> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::Format(format!("{}: not UTF-8 text", path.display())))?;
        Self::parse(&text, &path.display().to_string(), kind)
    }

    /// Write the shard to `dir/`[`ShardSpec::file_name`] atomically; returns the path.
    ///
    /// # Errors
    /// I/O errors naming the path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let path = dir.join(self.shard.file_name());
        write_atomic(&path, self.to_json()?.as_bytes())?;
        Ok(path)
    }

    /// Whether this (read) shard is complete for the study described by
    /// `kind`, `shard`, `total` and `params`: then a re-run can skip it.
    pub fn is_complete_for(
        &self,
        kind: &str,
        shard: ShardSpec,
        total: usize,
        params: &Value,
    ) -> bool {
        let want = shard.items(total);
        self.kind == kind
            && self.shard == shard
            && self.total == total
            && normalize(params).is_ok_and(|p| p == self.params)
            && self.items.len() == want.len()
            && self.items.iter().zip(&want).all(|(it, &i)| it.index == i)
    }
}

/// Write `bytes` to `path` atomically: a temporary file next to it, then rename.
///
/// # Errors
/// I/O errors naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::Io(format!("{} is not a file path", path.display())))?;
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io(format!(
            "cannot rename {} to {}: {e}",
            tmp.display(),
            path.display()
        ))
    })
}

/// The shard files named by `inputs`: a directory contributes every
/// `shard-*.json` in it (sorted by name), a file itself.
///
/// # Errors
/// An input that does not exist, or no shard file at all.
pub fn shard_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    for p in inputs {
        if p.is_dir() {
            let rd = std::fs::read_dir(p)
                .map_err(|e| Error::Io(format!("cannot list {}: {e}", p.display())))?;
            let mut found: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".json"))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Error::Io(format!(
                "{}: no such file or directory",
                p.display()
            )));
        }
    }
    if out.is_empty() {
        return Err(Error::Io(format!(
            "no shard files (shard-*.json) in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(out)
}

/// A merged study: its parameters and every item in index order.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// The study kind.
    pub kind: String,
    /// The shared parameters.
    pub params: Value,
    /// Items 0 … total − 1.
    pub items: Vec<T>,
    /// Per shard: its spec and wall seconds (timings, kept apart).
    pub seconds: Vec<(ShardSpec, f64)>,
}

fn differing_keys(a: &Value, b: &Value, prefix: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => differing_keys(u, v, &p, out),
                    _ => out.push(p),
                }
            }
        }
        _ if a != b => out.push(format!("{prefix} ({a} vs {b})")),
        _ => {}
    }
}

/// Merge the shards of one study of `kind`, each given with the name used in
/// errors (its path).
///
/// # Errors
/// [`Error::Format`] naming the file, shard or instance when: no shards; a
/// shard of another kind; parameters, total or shard count differ from the
/// first shard's (the differing parameters are listed); an instance present
/// in two shards; instances missing (listed with the shard that should hold
/// them).
///
/// # Complexity
/// O(total + Σ parameter size).
pub fn merge<T>(kind: &str, shards: Vec<(String, ShardFile<T>)>) -> Result<Merged<T>> {
    let (name0, first) = shards
        .first()
        .ok_or_else(|| Error::Format("no shards to merge".into()))?;
    let (params, total, count) = (first.params.clone(), first.total, first.shard.count);
    let spec0 = first.shard;
    let name0 = name0.clone();
    let mut slots: Vec<Option<(T, String)>> = (0..total).map(|_| None).collect();
    let mut seconds = vec![];
    for (name, f) in shards {
        if f.kind != kind {
            return Err(Error::Format(format!(
                "{name}: a {} shard, not {kind}",
                f.kind
            )));
        }
        if f.params != params {
            let mut diff = vec![];
            differing_keys(&params, &f.params, "", &mut diff);
            return Err(Error::Format(format!(
                "{name}: parameters differ from {name0}'s: {}",
                diff.join(", ")
            )));
        }
        if f.total != total || f.shard.count != count {
            return Err(Error::Format(format!(
                "{name}: shard {} of a {}-instance study, but {name0} is shard {} of a {total}-instance study",
                f.shard, f.total, spec0
            )));
        }
        seconds.push((f.shard, f.seconds));
        for it in f.items {
            let slot = slots.get_mut(it.index).ok_or_else(|| {
                Error::Format(format!(
                    "{name}: instance {} is out of range (the study has {total})",
                    it.index
                ))
            })?;
            if let Some((_, other)) = slot {
                return Err(Error::Format(format!(
                    "instance {} is duplicated: in {other} and in {name} (shard {})",
                    it.index, f.shard
                )));
            }
            *slot = Some((it.result, name.clone()));
        }
    }
    let missing: Vec<usize> = (0..total).filter(|&i| slots[i].is_none()).collect();
    if !missing.is_empty() {
        let mut by_shard: Vec<usize> = missing.iter().map(|i| i % count + 1).collect();
        by_shard.dedup();
        by_shard.sort_unstable();
        by_shard.dedup();
        let list = |v: &[usize]| {
            let s: Vec<String> = v.iter().take(20).map(|x| x.to_string()).collect();
            let more = if v.len() > 20 { ", …" } else { "" };
            format!("{}{more}", s.join(", "))
        };
        return Err(Error::Format(format!(
            "{} of {total} instances missing (0-based: {}); they belong to shard(s) {} of {count} (files {})",
            missing.len(),
            list(&missing),
            list(&by_shard),
            by_shard
                .iter()
                .take(5)
                .map(|&k| ShardSpec { index: k, count }.file_name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    seconds.sort_by_key(|(s, _)| s.index);
    Ok(Merged {
        kind: kind.into(),
        params,
        items: slots.into_iter().flatten().map(|(r, _)| r).collect(),
        seconds,
    })
}

/// Read and merge the shard files named by `inputs` (see [`shard_paths`]).
///
/// # Errors
/// As [`shard_paths`], [`ShardFile::read_kind`] and [`merge`].
pub fn merge_paths<T: Serialize + DeserializeOwned>(
    kind: &str,
    inputs: &[PathBuf],
) -> Result<Merged<T>> {
    let mut shards = vec![];
    for p in shard_paths(inputs)? {
        shards.push((
            p.display().to_string(),
            ShardFile::<T>::read_kind(&p, Some(kind))?,
        ));
    }
    merge(kind, shards)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shard(k: usize, s: usize, total: usize, params: Value) -> ShardFile<u64> {
        let spec = ShardSpec { index: k, count: s };
        let items = spec
            .items(total)
            .into_iter()
            .map(|i| ShardItem {
                index: i,
                result: 100 + i as u64,
            })
            .collect();
        ShardFile::new("t", spec, total, &params, items, 1.0).unwrap()
    }

    #[test]
    fn assignment_is_round_robin_and_balanced() {
        let s = ShardSpec::parse("2/3").unwrap();
        assert_eq!(s.items(8), vec![1, 4, 7]);
        assert!(s.owns(4) && !s.owns(3));
        let sizes: Vec<usize> = (1..=3)
            .map(|k| ShardSpec { index: k, count: 3 }.items(8).len())
            .collect();
        assert_eq!(sizes, vec![3, 3, 2]);
        assert_eq!(s.file_name(), "shard-0002-of-0003.json");
        for bad in ["0/3", "4/3", "3", "a/3", "1/0"] {
            assert!(ShardSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn merge_orders_items_and_names_problems() {
        let p = json!({"lr": 1e-3, "m": 4});
        let all = |skip: Option<usize>| {
            (1..=3)
                .filter(|&k| Some(k) != skip)
                .map(|k| (format!("s{k}"), shard(k, 3, 7, p.clone())))
                .collect::<Vec<_>>()
        };
        let m = merge("t", all(None)).unwrap();
        assert_eq!(m.items, (0..7).map(|i| 100 + i).collect::<Vec<u64>>());
        let e = merge("t", all(Some(2))).unwrap_err().to_string();
        assert!(
            e.contains("2 of 7 instances missing (0-based: 1, 4)"),
            "{e}"
        );
        assert!(e.contains("shard-0002-of-0003.json"), "{e}");
        let mut dup = all(None);
        dup.push(("again".into(), shard(3, 3, 7, p.clone())));
        let e = merge("t", dup).unwrap_err().to_string();
        assert!(
            e.contains("instance 2 is duplicated: in s3 and in again"),
            "{e}"
        );
        let mut other = all(Some(3));
        other.push(("odd".into(), shard(3, 3, 7, json!({"lr": 2e-3, "m": 4}))));
        let e = merge("t", other).unwrap_err().to_string();
        assert!(
            e.contains("odd: parameters differ") && e.contains("lr (0.001 vs 0.002)"),
            "{e}"
        );
    }

    #[test]
    fn round_trip_and_completeness() {
        let p = json!({"x": 0.1 + 0.2});
        let f = shard(1, 2, 5, p.clone());
        let g = ShardFile::<u64>::from_json(&f.to_json().unwrap(), "f").unwrap();
        assert_eq!(f, g);
        let spec = ShardSpec { index: 1, count: 2 };
        assert!(g.is_complete_for("t", spec, 5, &p));
        assert!(!g.is_complete_for("t", spec, 6, &p));
        assert!(!g.is_complete_for("t", spec, 5, &json!({"x": 0.3})));
        assert!(ShardFile::<u64>::from_json("{\"format\":\"x\"}", "f").is_err());
    }
}
