//! Measures computed from community labels: module allegiance, flexibility
//! (Bassett et al. 2011, PNAS 108, 7641), integration and recruitment
//! (Bassett et al. 2015, Nat. Neurosci. 18, 744; Mattar et al. 2015), a
//! consensus partition (Lancichinetti & Fortunato 2012) and normalised mutual
//! information (Danon et al. 2005) for comparing partitions.

use super::louvain::{canonical, community_louvain};
use super::signed::Signed;
use crate::error::{check_range, check_size, Error, Result};
use ndarray::Array2;

fn same_len(parts: &[&[usize]]) -> Result<usize> {
    let n = parts
        .first()
        .map(|p| p.len())
        .ok_or_else(|| Error::Shape("no partitions given".into()))?;
    if n == 0 {
        return Err(Error::Shape("partitions are empty".into()));
    }
    if let Some(k) = parts.iter().position(|p| p.len() != n) {
        return Err(Error::Shape(format!(
            "partition {} has {} nodes, partition 1 has {n}",
            k + 1,
            parts[k].len()
        )));
    }
    Ok(n)
}

/// Module allegiance P_ij: fraction of the given partitions (layers, runs)
/// in which i and j are in the same community. Symmetric, unit diagonal.
///
/// # Errors
/// No partitions or differing lengths.
///
/// # Complexity
/// O(P N²).
pub fn allegiance(parts: &[&[usize]]) -> Result<Array2<f64>> {
    let n = same_len(parts)?;
    let mut p = Array2::zeros((n, n));
    for part in parts {
        for i in 0..n {
            for j in i..n {
                if part[i] == part[j] {
                    p[[i, j]] += 1.0;
                }
            }
        }
    }
    let k = parts.len() as f64;
    for i in 0..n {
        for j in i..n {
            let v = p[[i, j]] / k;
            p[[i, j]] = v;
            p[[j, i]] = v;
        }
    }
    Ok(p)
}

/// Node flexibility f_i = (number of l with g_{i,l} ≠ g_{i,l+1}) / (L − 1)
/// for ordered layers `labels[l][i]` (0 for a single layer).
///
/// # Errors
/// No layers or differing lengths.
pub fn flexibility(labels: &[Vec<usize>]) -> Result<Vec<f64>> {
    let parts: Vec<&[usize]> = labels.iter().map(|v| v.as_slice()).collect();
    let n = same_len(&parts)?;
    let l = labels.len();
    let mut f = vec![0.0; n];
    if l < 2 {
        return Ok(f);
    }
    for w in labels.windows(2) {
        for i in 0..n {
            if w[0][i] != w[1][i] {
                f[i] += 1.0;
            }
        }
    }
    f.iter_mut().for_each(|x| *x /= (l - 1) as f64);
    Ok(f)
}

/// System flexibility: the mean node flexibility.
pub fn system_flexibility(labels: &[Vec<usize>]) -> Result<f64> {
    let f = flexibility(labels)?;
    Ok(f.iter().sum::<f64>() / f.len() as f64)
}

/// Number of distinct communities in each layer.
pub fn communities_per_layer(labels: &[Vec<usize>]) -> Vec<usize> {
    labels
        .iter()
        .map(|l| {
            let mut v = l.clone();
            v.sort_unstable();
            v.dedup();
            v.len()
        })
        .collect()
}

/// Recruitment (diagonal) and integration (off-diagonal) of reference systems
/// from an allegiance matrix: I_{kl} = mean of P_ij over i ∈ S_k, j ∈ S_l,
/// i ≠ j (Bassett et al. 2015). Systems are `systems[i]` ∈ 0…K−1.
///
/// # Errors
/// Length mismatch; a system with a single node has no recruitment (NaN is
/// never returned: its diagonal entry is 1 by convention, P_ii = 1).
pub fn integration_recruitment(p: &Array2<f64>, systems: &[usize]) -> Result<Array2<f64>> {
    let n = p.nrows();
    if systems.len() != n || p.ncols() != n {
        return Err(Error::Shape(format!(
            "{} system labels for a {} × {} allegiance matrix",
            systems.len(),
            p.nrows(),
            p.ncols()
        )));
    }
    let k = systems.iter().copied().max().map_or(0, |m| m + 1);
    let mut sum = Array2::<f64>::zeros((k, k));
    let mut cnt = Array2::<f64>::zeros((k, k));
    for i in 0..n {
        for j in 0..n {
            if i != j {
                sum[[systems[i], systems[j]]] += p[[i, j]];
                cnt[[systems[i], systems[j]]] += 1.0;
            }
        }
    }
    Ok(Array2::from_shape_fn((k, k), |(a, b)| {
        if cnt[[a, b]] > 0.0 {
            sum[[a, b]] / cnt[[a, b]]
        } else {
            1.0
        }
    }))
}

/// Consensus partition of many partitions (Lancichinetti & Fortunato 2012):
/// agreement matrix D (allegiance, zero diagonal), entries < τ set to 0,
/// cluster D with Louvain `reps` times; repeat on the new partitions until
/// they all agree (at most 20 rounds, then the best-Q one is returned).
///
/// # Errors
/// As [`allegiance`]; τ outside [0, 1]; reps outside 1…1000.
pub fn consensus(parts: &[&[usize]], tau: f64, reps: usize, seed: u64) -> Result<Vec<usize>> {
    check_range("tau", tau, 0.0, 1.0)?;
    check_size("reps", reps, 1, 1000)?;
    let mut current: Vec<Vec<usize>> = parts.iter().map(|p| p.to_vec()).collect();
    for round in 0..20 {
        let refs: Vec<&[usize]> = current.iter().map(|v| v.as_slice()).collect();
        let mut d = allegiance(&refs)?;
        let n = d.nrows();
        for i in 0..n {
            d[[i, i]] = 0.0;
        }
        d.mapv_inplace(|v| if v < tau { 0.0 } else { v });
        if d.iter().all(|&v| v == 0.0) {
            return Ok((0..n).collect());
        }
        let mut next = Vec::with_capacity(reps);
        for r in 0..reps {
            let res = community_louvain(
                &d,
                1.0,
                Signed::None,
                1,
                seed.wrapping_add((round * reps + r) as u64),
            )?;
            next.push(res.communities);
        }
        if next.windows(2).all(|w| w[0] == w[1]) {
            return Ok(next.swap_remove(0));
        }
        current = next;
    }
    let mut out = current.swap_remove(0);
    canonical(&mut out);
    Ok(out)
}

/// Normalised mutual information 2 I(a; b) / (H(a) + H(b)) (1 when both
/// partitions are trivial and equal).
///
/// # Errors
/// Length mismatch or empty.
pub fn nmi(a: &[usize], b: &[usize]) -> Result<f64> {
    let n = same_len(&[a, b])? as f64;
    let mut ca = a.to_vec();
    let mut cb = b.to_vec();
    let (ka, kb) = (canonical(&mut ca), canonical(&mut cb));
    let mut joint = vec![0.0; ka * kb];
    let (mut pa, mut pb) = (vec![0.0; ka], vec![0.0; kb]);
    for (&x, &y) in ca.iter().zip(&cb) {
        joint[x * kb + y] += 1.0 / n;
        pa[x] += 1.0 / n;
        pb[y] += 1.0 / n;
    }
    let h = |p: &[f64]| {
        -p.iter()
            .filter(|&&v| v > 0.0)
            .map(|v| v * v.ln())
            .sum::<f64>()
    };
    let (ha, hb) = (h(&pa), h(&pb));
    if ha + hb == 0.0 {
        return Ok(1.0);
    }
    let mut i = 0.0;
    for x in 0..ka {
        for y in 0..kb {
            let p = joint[x * kb + y];
            if p > 0.0 {
                i += p * (p / (pa[x] * pb[y])).ln();
            }
        }
    }
    Ok((2.0 * i / (ha + hb)).clamp(0.0, 1.0))
}

/// Node order grouping communities (largest first, ties by label), and the
/// border positions after each community — for reordered heatmaps.
pub fn order_by_community(labels: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut c = labels.to_vec();
    let k = canonical(&mut c);
    let mut size = vec![0usize; k];
    for &x in &c {
        size[x] += 1;
    }
    // Larger communities first, ties by index.
    let comms = crate::linalg::argsort_by(k, &|a, b| size[b].cmp(&size[a]));
    let mut order = Vec::with_capacity(c.len());
    let mut borders = Vec::new();
    for &cm in &comms {
        order.extend((0..c.len()).filter(|&i| c[i] == cm));
        if order.len() < c.len() {
            borders.push(order.len());
        }
    }
    (order, borders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allegiance_and_flexibility_by_hand() {
        let layers = vec![vec![0, 0, 1], vec![0, 1, 1], vec![0, 1, 1]];
        let refs: Vec<&[usize]> = layers.iter().map(|v| v.as_slice()).collect();
        let p = allegiance(&refs).unwrap();
        assert_eq!(p[[0, 1]], 1.0 / 3.0);
        assert_eq!(p[[1, 2]], 2.0 / 3.0);
        assert_eq!(p[[2, 1]], 2.0 / 3.0);
        assert!((0..3).all(|i| p[[i, i]] == 1.0));
        assert_eq!(flexibility(&layers).unwrap(), vec![0.0, 0.5, 0.0]);
        let constant = vec![vec![3, 1, 3]; 5];
        assert_eq!(system_flexibility(&constant).unwrap(), 0.0);
        assert_eq!(communities_per_layer(&layers), vec![2, 2, 2]);
    }

    #[test]
    fn nmi_identity_and_independence() {
        assert!((nmi(&[0, 0, 1, 1], &[5, 5, 2, 2]).unwrap() - 1.0).abs() < 1e-12);
        assert!(nmi(&[0, 0, 1, 1], &[0, 1, 0, 1]).unwrap().abs() < 1e-12);
    }

    #[test]
    fn integration_recruitment_by_hand() {
        let p = ndarray::array![[1.0, 0.8, 0.2], [0.8, 1.0, 0.4], [0.2, 0.4, 1.0]];
        let r = integration_recruitment(&p, &[0, 0, 1]).unwrap();
        assert!((r[[0, 0]] - 0.8).abs() < 1e-12);
        assert!((r[[0, 1]] - 0.3).abs() < 1e-12);
        assert_eq!(r[[1, 1]], 1.0);
    }

    #[test]
    fn consensus_of_agreeing_partitions() {
        let a = [0, 0, 0, 1, 1, 1];
        let b = [1, 1, 1, 0, 0, 0];
        let c = [0, 0, 1, 1, 1, 1];
        let out = consensus(&[&a, &b, &c, &a], 0.5, 5, 1).unwrap();
        assert!((nmi(&out, &a).unwrap() - 1.0).abs() < 1e-12, "{out:?}");
    }
}
