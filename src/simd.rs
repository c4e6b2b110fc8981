//! Run-time SIMD dispatch (natively on x86-64, through `pulp`: no `unsafe`
//! here). [`avx2`] runs a [`Kernel`] compiled for AVX2 + FMA when the CPU
//! has them, [`avx512`] compiled for AVX-512 (else as [`avx2`]): the plain
//! loops inlined into the kernel vectorise to those registers, and a kernel
//! may use `pulp`'s V3 token for explicit 4-lane code ([`Kernel::run_v3`];
//! under [`avx512`] too, so its sums keep their 4 lanes). Elsewhere
//! (WebAssembly, other CPUs) the portable [`Kernel::run`] runs.
//!
//! Rust never contracts a·b + c into an FMA and the vectoriser keeps the
//! order of every sum, so an elementwise loop gives the same bits at any
//! width; explicit kernels are tested against the portable ones.

/// A loop to compile for AVX2 or AVX-512. `run` (and `run_v3`) must be
/// `#[inline(always)]`, as must everything they call that should vectorise
/// (a call that is not inlined is compiled for the baseline target).
pub(crate) trait Kernel: Sized {
    /// What the loop returns.
    type Output;
    /// The portable loop.
    fn run(self) -> Self::Output;
    /// The loop with AVX2 + FMA available (`run` unless overridden).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, _v3: pulp::x86::V3) -> Self::Output {
        self.run()
    }
}

#[cfg(target_arch = "x86_64")]
struct Dispatch<K>(K, pulp::x86::V3);

#[cfg(target_arch = "x86_64")]
impl<K: Kernel> pulp::WithSimd for Dispatch<K> {
    type Output = K::Output;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> K::Output {
        self.0.run_v3(self.1)
    }
}

/// Run `k`, compiled for AVX2 + FMA when the CPU has them (x86-64 only).
#[inline(always)]
pub(crate) fn avx2<K: Kernel>(k: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if let Some(v3) = pulp::x86::V3::try_new() {
        return pulp::Simd::vectorize(v3, Dispatch(k, v3));
    }
    k.run()
}

/// Run `k` compiled for AVX-512 (F, DQ, VL, BW) when the CPU has it, with
/// the V3 token for its explicit 4-lane code; else as [`avx2`]. The rate
/// network's step: its elementwise loops (φ, the Euler update) in 8 lanes
/// are ≈ 6 % of the step faster on Zen 4, with the same bits.
// Called only by the native step (WebAssembly steps without dispatch).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[inline(always)]
pub(crate) fn avx512<K: Kernel>(k: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if let Some(v4) = pulp::x86::V4::try_new() {
        let v3: pulp::x86::V3 = *v4;
        return pulp::Simd::vectorize(v4, Dispatch(k, v3));
    }
    avx2(k)
}
