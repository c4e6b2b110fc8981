//! `simulate --out X.npy`: the activity goes to its NPY file block by block
//! as it is recorded, and the PR is computed from the file read back block
//! by block, so the T × N activity is never held whole in memory (no 16 MB
//! of fresh pages to fault in at T = 10,000, N = 200; issue 19).
//!
//! The numbers are those of the in-memory path, bit for bit: the column sums
//! and maxima go through the scan `pca` makes ([`ColumnScan`]), and the
//! scatter matrix gets the same 256-row blocks ([`CentredGram`]).

use super::output::{AtomicFile, Progress};
use ndarray::{Array2, ArrayViewMut2, Axis, Slice};
use rnnscope::dynamics::{self, Pca, Record, Simulator};
use rnnscope::linalg::{CentredGram, ColumnScan, GRAM_ROWS};
use rnnscope::{io, Error, Result};
use std::io::{Seek, SeekFrom};

/// How the rows are recorded: every `every` steps, `per_chunk` rows between
/// progress updates, after `burn` steps.
pub struct Plan {
    pub every: usize,
    pub record: Record,
    pub per_chunk: usize,
    pub burn: usize,
}

/// Record the rows of `x`; `s0` rows were recorded before (for the progress
/// bar).
///
/// # Errors
/// As [`Simulator::record_into`].
pub fn record_rows(
    sim: &mut Simulator,
    x: ArrayViewMut2<f64>,
    p: &Plan,
    bar: &mut Progress,
    s0: usize,
) -> Result<()> {
    let mut rest = x;
    let mut s = s0;
    while rest.nrows() > 0 {
        let k = p.per_chunk.min(rest.nrows());
        let (part, tail) = rest.split_at(Axis(0), k);
        sim.record_into(part, p.every, p.record)?;
        rest = tail;
        s += k;
        bar.update((p.burn + s * p.every) as u64);
    }
    Ok(())
}

/// The error for a non-finite recorded value at flat index `i` (row-major,
/// `n` columns) of the whole recording.
pub fn diverged_at(i: usize, n: usize, v: f64) -> Error {
    let n = n.max(1);
    Error::Numeric(format!(
        "the simulation diverged: activity sample {}, unit {} is {v} (try a smaller --g or --dt, or a saturating --phi)",
        i / n + 1,
        i % n + 1,
    ))
}

/// Record `samples` rows into `f` as an NPY file (header included) and
/// return `pca(x, 0)` of them, x read back from `f`, and the seconds since
/// `t0` when the recording ended.
///
/// # Errors
/// As [`record_rows`]; a non-finite value (the sample that diverged); I/O
/// errors. `f` is then dropped by the caller and removed.
///
/// # Complexity
/// The simulation, plus O(T·N²) for the scatter matrix; O(256·N + N²) memory.
pub fn record_to_npy(
    sim: &mut Simulator,
    f: &mut AtomicFile,
    samples: usize,
    p: &Plan,
    bar: &mut Progress,
    t0: std::time::Instant,
) -> Result<(Pca, f64)> {
    let n = sim.n();
    let header = io::npy_header((samples, n))?;
    f.write_all(&header)?;
    let mut buf = Array2::<f64>::zeros((GRAM_ROWS, n));
    let mut scan = ColumnScan::new(n);
    let mut s = 0;
    while s < samples {
        let k = GRAM_ROWS.min(samples - s);
        record_rows(
            sim,
            buf.slice_axis_mut(Axis(0), Slice::from(..k)),
            p,
            bar,
            s,
        )?;
        let rows = &buf.as_slice().unwrap_or(&[])[..k * n];
        // The scan `pca` makes: per column, top to bottom. Its sums and
        // maxima stay finite unless a value is not (or a sum overflowed):
        // only then are the values looked at one by one.
        for row in rows.chunks_exact(n) {
            scan.add_row(row);
        }
        if !scan.all_finite() {
            if let Some(i) = rows.iter().position(|v| !v.is_finite()) {
                return Err(diverged_at(s * n + i, n, rows[i]));
            }
        }
        f.write_all(&io::npy_bytes(rows))?;
        s += k;
    }
    bar.finish();
    let secs = t0.elapsed().as_secs_f64();
    let max_abs = scan.max_abs();
    let scale = rnnscope::linalg::pow2_scale(max_abs);
    let file = f.file()?;
    let io_err = |e: std::io::Error| Error::Io(format!("cannot read back the activity: {e}"));
    file.seek(SeekFrom::Start(header.len() as u64))
        .map_err(io_err)?;
    if scale != 1.0 && !(1e-100..=1e100).contains(&scale) {
        // Activity beyond 1e±100: `pca` rescales a whole copy; so do we.
        let mut x = Array2::<f64>::zeros((samples, n));
        io::read_f64_le(file, x.as_slice_mut().unwrap_or(&mut [])).map_err(io_err)?;
        return Ok((dynamics::pca(&x, 0)?, secs));
    }
    let mean: Vec<f64> = scan.sums.into_iter().map(|m| m / samples as f64).collect();
    let mut acc = CentredGram::new(mean.clone());
    let mut s = 0;
    while s < samples {
        let k = GRAM_ROWS.min(samples - s);
        let rows = &mut buf.as_slice_mut().unwrap_or(&mut [])[..k * n];
        io::read_f64_le(file, rows).map_err(io_err)?;
        acc.add(&buf.slice_axis(Axis(0), Slice::from(..k)));
        s += k;
    }
    Ok((
        dynamics::pca_of_scatter(&acc.finish(), samples, mean)?,
        secs,
    ))
}
