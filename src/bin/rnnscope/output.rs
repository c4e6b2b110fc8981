//! Everything the CLI writes: the JSON result on stdout, files given with
//! `--out`, and progress on stderr.
//!
//! * stdout: a closed pipe (`| head`) ends the program quietly with exit 0;
//!   any other write error (a full disk, `> /dev/full`) is an error, exit 1.
//!   A closed stdout (`>&-`) is detected before the work starts.
//! * files: every write goes to a temporary file in the target's directory
//!   and is renamed over the target only once it is complete, so a failed
//!   write never truncates an existing file. Groups of files (`hebbff train
//!   --out DIR`) are all written to temporaries first and renamed only when
//!   every one succeeded.
//! * `--out` paths are checked (extension, directory exists and is writable)
//!   before any work starts.

use rnnscope::{io, Error, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Set by `rnnscope --quiet`: no progress lines.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Turn progress output off (`--quiet`).
pub fn set_quiet(q: bool) {
    QUIET.store(q, Ordering::Relaxed);
}

/// What happened when the result was printed.
pub enum Printed {
    /// Written in full.
    Ok,
    /// The reader went away (EPIPE): stop quietly, exit 0.
    ClosedPipe,
}

/// Error if stdout was closed (`>&-`). Rust's runtime reopens a closed
/// stdout on `/dev/null` read-write before `main`, so writes vanish and the
/// run would look like a success; a shell's `> /dev/null` opens it write-only.
/// Python's `subprocess.DEVNULL` opens `/dev/null` read-write too, so it
/// cannot be told apart: the message says how to discard the result instead.
/// Linux: read from `/proc/self/fd/1` and `/proc/self/fdinfo/1`.
pub fn check_stdout_open() -> Result<()> {
    let target = std::fs::read_link("/proc/self/fd/1");
    let info = std::fs::read_to_string("/proc/self/fdinfo/1");
    if let (Ok(t), Ok(info)) = (target, info) {
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
        // O_ACCMODE = 3, O_RDWR = 2.
        if t == Path::new("/dev/null") && flags.is_some_and(|f| f & 3 == 2) {
            return Err(Error::Io(
                "stdout is closed (or is /dev/null opened read-write, as Python's \
                 subprocess.DEVNULL does): redirect it to a file (> result.json) or a pipe, \
                 or to /dev/null opened write-only (> /dev/null) to discard the result"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// Print the JSON result and a newline on stdout, flushing it.
///
/// # Errors
/// Any write error other than a closed pipe (e.g. "No space left on device").
pub fn print_json(v: &serde_json::Value) -> Result<Printed> {
    let mut text = v.to_string();
    text.push('\n');
    let out = std::io::stdout();
    let mut lock = out.lock();
    match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
        Ok(()) => Ok(Printed::Ok),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Printed::ClosedPipe),
        Err(e) => Err(Error::Io(format!("cannot write the result to stdout: {e}"))),
    }
}

/// A warning line on stderr (never panics, even if stderr is closed).
pub fn warn(msg: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {msg}");
}

/// A progress note line on stderr (not with `--quiet`; never panics).
pub fn note(msg: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }
}

/// The matrix file kinds `--out` accepts.
fn matrix_kind(flag: &'static str, path: &Path) -> Result<bool> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("npy") => Ok(true),
        Some("csv") | None => Ok(false),
        Some(other) => Err(Error::param(
            flag,
            format!("unknown extension .{other}: use .csv or .npy"),
        )),
    }
}

/// The directory a file will be written into (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Error unless `dir` is an existing, writable directory (probed by creating
/// and removing a temporary file).
fn check_writable_dir(flag: &'static str, dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::param(
            flag,
            format!("directory {} does not exist", dir.display()),
        ));
    }
    let probe = temp_name(dir, ".rnnscope-probe");
    std::fs::File::create(&probe)
        .map_err(|e| Error::param(flag, format!("cannot write into {}: {e}", dir.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Check a `--out FILE` for a matrix before the work starts: a known
/// extension (.csv, .npy or none), not a directory, in a writable directory.
pub fn check_matrix_out(flag: &'static str, path: &Path) -> Result<()> {
    matrix_kind(flag, path)?;
    check_file_out(flag, path)
}

/// Check a `--out FILE` of any kind before the work starts.
pub fn check_file_out(flag: &'static str, path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::param(
            flag,
            format!("{} is a directory; give a file name", path.display()),
        ));
    }
    if rename_target(path).is_none() {
        // A FIFO is not opened here: an open for writing waits for a reader,
        // and closing it would end that reader's stream before the output.
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo()) {
                return Ok(());
            }
        }
        // A device (/dev/stdout): it must open for writing.
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map(|_| ())
            .map_err(|e| Error::param(flag, format!("cannot write {}: {e}", path.display())));
    }
    check_writable_dir(flag, &parent_dir(path))
}

/// Check a `--out DIR` before the work starts: an existing writable directory,
/// or a missing one whose parent is writable (it is created, empty, now).
pub fn check_dir_out(flag: &'static str, dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::param(
                flag,
                format!("{} exists and is not a directory", dir.display()),
            ));
        }
        return check_writable_dir(flag, dir);
    }
    check_writable_dir(flag, &parent_dir(dir))?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::param(flag, format!("cannot create {}: {e}", dir.display())))
}

/// A fresh temporary name next to `target` (same directory, so the rename is atomic).
fn temp_name(dir: &Path, stem: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let k = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{stem}.tmp-{}-{k}", std::process::id()))
}

/// A fresh hidden temporary name beside `path` (`.NAME.tmp-PID-K`).
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| format!(".{}", n.to_string_lossy()))
        .unwrap_or_else(|| ".out".into());
    temp_name(&parent_dir(path), &name)
}

/// Write `bytes` to a temporary file beside `path`, synced; the temp path.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let tmp = temp_beside(path);
    let res = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match res {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::Io(format!(
                "cannot write {}: {e} (nothing was changed)",
                path.display()
            )))
        }
    }
}

/// Write a file atomically: temporary file in the same directory, then rename.
///
/// # Errors
/// Any I/O error; the existing file (if any) is left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_atomic(&[(path.to_path_buf(), bytes)])
}

/// Where an atomic write should rename to: symlinks are followed (the link
/// stays a link); `None` for an existing non-regular file (`/dev/stdout`,
/// `/dev/null`, a FIFO), which must be written in place, never replaced.
fn rename_target(path: &Path) -> Option<PathBuf> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => None,
        Ok(_) => Some(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())),
        Err(_) => Some(path.to_path_buf()),
    }
}

/// Write several files all-or-nothing as far as the file system allows: every
/// temporary file is written first, and the renames happen only when all
/// writes succeeded. On failure every temporary file is removed.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let mut regular: Vec<(PathBuf, &[u8])> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match rename_target(path) {
            Some(t) => regular.push((t, bytes)),
            None => {
                // A device or FIFO: write in place (nothing to clobber).
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
                    .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
            }
        }
    }
    let files = &regular[..];
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match write_temp(path, bytes) {
            Ok(t) => temps.push(t),
            Err(e) => {
                for t in &temps {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
        }
    }
    for (k, ((path, _), tmp)) in files.iter().zip(&temps).enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            for t in &temps[k..] {
                let _ = std::fs::remove_file(t);
            }
            return Err(Error::Io(format!("cannot write {}: {e}", path.display())));
        }
    }
    Ok(())
}

/// Save a matrix as CSV or NPY (by extension), atomically. NPY is written
/// from the matrix's own memory (header, then the data in one write).
pub fn save_matrix(path: &Path, m: &ndarray::Array2<f64>) -> Result<()> {
    if !is_npy(path)? {
        return write_atomic(path, io::write_csv(m).as_bytes());
    }
    let Some(mut f) = AtomicFile::create(path)? else {
        // A device or FIFO: in place, as `write_all_atomic` does.
        return write_all_atomic(&[(path.to_path_buf(), &io::write_npy(m)?)]);
    };
    f.write_all(&io::npy_header(m.dim())?)?;
    f.write_all(&io::npy_data(m))?;
    f.commit()
}

/// Whether `--out` names an NPY file (else CSV; other extensions are errors).
pub fn is_npy(path: &Path) -> Result<bool> {
    matrix_kind("out", path)
}

/// A file written atomically: a temporary file beside the target, synced
/// and renamed over it by [`AtomicFile::commit`]; dropped without a commit
/// (an error on the way), the temporary file is removed and the target is
/// untouched.
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    shown: PathBuf,
    file: Option<std::fs::File>,
}

impl AtomicFile {
    /// `None` when `path` is a device or FIFO (write such a path in place).
    pub fn create(path: &Path) -> Result<Option<Self>> {
        let Some(target) = rename_target(path) else {
            return Ok(None);
        };
        let tmp = temp_beside(&target);
        // Readable too, so what was written can be read back.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp);
        let file = file.map_err(|e| {
            Error::Io(format!(
                "cannot write {}: {e} (nothing was changed)",
                path.display()
            ))
        })?;
        Ok(Some(AtomicFile {
            tmp,
            target,
            shown: path.to_path_buf(),
            file: Some(file),
        }))
    }

    fn io_err(&self, e: std::io::Error) -> Error {
        Error::Io(format!(
            "cannot write {}: {e} (nothing was changed)",
            self.shown.display()
        ))
    }

    /// The open temporary file (for reading back what was written).
    pub fn file(&mut self) -> Result<&mut std::fs::File> {
        self.file
            .as_mut()
            .ok_or_else(|| Error::Io("the output file is closed".into()))
    }

    /// Append `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let r = self.file()?.write_all(bytes);
        r.map_err(|e| self.io_err(e))
    }

    /// Sync the temporary file and rename it over the target.
    pub fn commit(mut self) -> Result<()> {
        let r = self.file()?.sync_all();
        r.map_err(|e| self.io_err(e))?;
        self.file = None;
        std::fs::rename(&self.tmp, &self.target)
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", self.shown.display())))?;
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.file = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Progress and ETA on stderr for long work: silent for the first 2 s, with
/// `--quiet`, or when stderr is not a terminal; at most 5 updates a second.
pub struct Progress {
    label: &'static str,
    total: u64,
    start: Instant,
    last: Option<Instant>,
    on: bool,
}

impl Progress {
    /// A reporter for `total` units of work.
    pub fn new(label: &'static str, total: u64) -> Self {
        Progress {
            label,
            total: total.max(1),
            start: Instant::now(),
            last: None,
            on: !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal(),
        }
    }

    /// Report that `done` of `total` units are finished.
    pub fn update(&mut self, done: u64) {
        if !self.on {
            return;
        }
        let now = Instant::now();
        let el = now - self.start;
        if el < Duration::from_secs(2)
            || self
                .last
                .is_some_and(|l| now - l < Duration::from_millis(200))
        {
            return;
        }
        self.last = Some(now);
        let frac = (done as f64 / self.total as f64).clamp(0.0, 1.0);
        let eta = if frac > 0.0 {
            format!("{:.0} s left", el.as_secs_f64() * (1.0 - frac) / frac)
        } else {
            "…".into()
        };
        let _ = write!(
            std::io::stderr(),
            "\r{}: {done}/{} ({:.0}%), {:.0} s elapsed, {eta}   ",
            self.label,
            self.total,
            100.0 * frac,
            el.as_secs_f64()
        );
    }

    /// Set the total when the work learns it late (a callback's `(done, total)`).
    pub fn total_hint(&mut self, total: u64) {
        self.total = total.max(1);
    }

    /// End the progress line (if one was drawn).
    pub fn finish(&mut self) {
        if self.on && self.last.is_some() {
            let _ = writeln!(std::io::stderr());
        }
        self.on = false;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Run `f` (one indivisible computation) with an elapsed-time ticker on
/// stderr after 2 s (TTY only, not with `--quiet`).
pub fn with_ticker<T>(label: &'static str, f: impl FnOnce() -> T) -> T {
    if QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
        return f();
    }
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let ticker = std::thread::spawn(move || {
        let start = Instant::now();
        let mut drew = false;
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            let el = start.elapsed();
            if el >= Duration::from_secs(2) && el.subsec_millis() < 100 {
                drew = true;
                let _ = write!(
                    std::io::stderr(),
                    "\r{label}: {:.0} s elapsed   ",
                    el.as_secs_f64()
                );
            }
        }
        if drew {
            let _ = writeln!(std::io::stderr());
        }
    });
    let r = f();
    done.store(true, Ordering::Relaxed);
    let _ = ticker.join();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rnnscope-out-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn listing(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    /// A group write whose last file cannot be written changes nothing: the
    /// existing file keeps its bytes and no temporary is left behind.
    #[test]
    fn failed_group_write_changes_nothing() {
        let d = scratch("group");
        let keep = d.join("W.csv");
        std::fs::write(&keep, "old").unwrap();
        let bad = d.join("missing-dir/result.json");
        let e = write_all_atomic(&[(keep.clone(), b"new"), (bad, b"{}")]).unwrap_err();
        assert!(e.to_string().contains("nothing was changed"), "{e}");
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "old");
        assert_eq!(listing(&d), ["W.csv"]);
        write_all_atomic(&[(keep.clone(), b"new"), (d.join("b.json"), b"{}")]).unwrap();
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "new");
        assert_eq!(listing(&d), ["W.csv", "b.json"]);
    }

    #[test]
    fn out_checks() {
        let d = scratch("checks");
        assert!(check_matrix_out("out", &d.join("w.npy")).is_ok());
        let e = check_matrix_out("out", &d.join("w.txt")).unwrap_err();
        assert!(e.to_string().contains(".txt"), "{e}");
        let e = check_matrix_out("out", &d.join("nope/w.csv")).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = check_file_out("out", &d).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
        let sub = d.join("new-run");
        check_dir_out("out", &sub).unwrap();
        assert!(sub.is_dir());
        // No probe files are left.
        assert_eq!(listing(&d), ["new-run"]);
        // Symlinks are followed: the link stays, its target gets the bytes.
        let target = d.join("real.csv");
        std::fs::write(&target, "old").unwrap();
        let link = d.join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }
}
