//! Transcendental functions with the same bits on every target.
//!
//! `f64::tanh`/`exp`/`ln` call the platform's libm: glibc natively, the
//! compiler-builtins port of musl in WebAssembly. Both are within an ulp but
//! not always equal, so a long training run drifts apart between the CLI and
//! the page (measured: `train-experiment noise`, N = 16, 60 steps — group sd
//! differing from the 15th digit, ‖W‖_F of Level-3 networks by 0.07 %). The
//! training code uses these wrappers around the `libm` crate (a pure-Rust port
//! of musl's libm) instead, so the same seed gives the same bits in both.

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
        assert!((super::ln(std::f64::consts::E) - 1.0).abs() <= f64::EPSILON);
    }
}
