//! Seeded randomness. All random routines go through [`seeded`] so that a seed
//! means the same stream natively and in WebAssembly (ChaCha12 via `StdRng`,
//! which is platform independent for a given rand version). Normal draws of
//! the training code use [`StandardNormal`] (platform-independent `exp`/`ln`).

mod normal;
pub use normal::StandardNormal;

use rand::rngs::StdRng;
use rand::SeedableRng;

/// The crate's RNG type.
pub type Rng = StdRng;

/// A generator fully determined by `seed`.
pub fn seeded(seed: u64) -> Rng {
    StdRng::seed_from_u64(seed)
}
