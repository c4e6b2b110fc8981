//! Transcendental functions with the same bits on every target.
//!
//! `f64::tanh`/`exp`/`ln` call the platform's libm: glibc natively, the
//! compiler-builtins port of musl in WebAssembly. Both are within an ulp but
//! not always equal, so a long training run drifts apart between the CLI and
//! the page (measured: `train-experiment noise`, N = 16, 60 steps — group sd
//! differing from the 15th digit, ‖W‖_F of Level-3 networks by 0.07 %). The
//! training code uses these wrappers around the `libm` crate (a pure-Rust port
//! of musl's libm) instead, so the same seed gives the same bits in both.
//!
//! The other parts of that promise (page == CLI for the same seed, issue 17):
//! normal draws through [`crate::rng::StandardNormal`] (rand_distr's ziggurat
//! calls the platform `exp`/`ln`), matrix products through
//! [`crate::linalg::matmul`] (ndarray's `dot` goes to matrixmultiply, whose
//! native kernels use FMA and a CPU-dependent blocking), and [`powi`] spelled
//! out. `sqrt`, `+ − × ÷` are correctly rounded on every target; Rust never
//! fuses a·b + c into an FMA unless asked (`mul_add`), so plain loops are
//! bit-identical natively and in WebAssembly.

/// tanh(x) (`libm::tanh`, < 1 ulp).
#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// eˣ (`libm::exp`, < 1 ulp).
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// ln x (`libm::log`, < 1 ulp).
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// √(x² + y²) without overflow (`libm::hypot`; glibc's differs in the last
/// bit for some inputs, which showed as a spectral-radius sd one ulp apart
/// between `train-experiment noise` and the page's group experiment).
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    libm::hypot(x, y)
}

/// sin x (`libm::sin`, < 1 ulp).
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// xⁿ by binary powering: the loop of compiler-builtins' `__powidf2` (what
/// `f64::powi` calls on both targets today), written out so the order of
/// multiplications is ours and not left to LLVM's `powi` intrinsic.
#[inline]
pub fn powi(x: f64, n: i32) -> f64 {
    let (mut a, mut k, mut acc) = (x, n.unsigned_abs(), 1.0);
    loop {
        if k & 1 != 0 {
            acc *= a;
        }
        k >>= 1;
        if k == 0 {
            break;
        }
        a *= a;
    }
    if n < 0 {
        1.0 / acc
    } else {
        acc
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn agree_with_std_to_an_ulp() {
        for &x in &[-3.0, -0.5, 0.0, 1e-8, 0.3, 2.0, 20.0] {
            let t = super::tanh(x);
            assert!((t - f64::tanh(x)).abs() <= f64::EPSILON * t.abs().max(1e-300));
            let e = super::exp(x);
            assert!((e - x.exp()).abs() <= 2.0 * f64::EPSILON * e);
        }
        assert_eq!(super::ln(1.0), 0.0);
        assert_eq!(super::sin(0.0), 0.0);
        assert!((super::sin(1.0) - 1f64.sin()).abs() <= f64::EPSILON);
        // powi: exact small cases, and the same bits as f64::powi.
        assert_eq!(super::powi(2.0, 10), 1024.0);
        assert_eq!(super::powi(2.0, -2), 0.25);
        assert_eq!(super::powi(0.9, 0), 1.0);
        // `black_box`: with a constant exponent an optimised build expands
        // f64::powi inline (another order of products) instead of calling
        // compiler-rt's `__powidf2`, which is what `powi` reproduces.
        for t in [1, 2, 3, 7, 100, 1000, 12345] {
            let want = std::hint::black_box(0.999f64).powi(std::hint::black_box(t));
            assert_eq!(super::powi(0.999, t), want, "t = {t}");
        }
        assert!((super::ln(std::f64::consts::E) - 1.0).abs() <= f64::EPSILON);
    }
}
