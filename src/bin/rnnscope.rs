//! `rnnscope` command line: JSON on stdout, one clear error line on stderr and
//! a non-zero exit code on failure.
//!
//! Matrix conventions: files are CSV (comma-separated numbers, no header) or
//! NPY. Connectivity W follows the RNN convention W[i][j] = weight from j to i.

#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/connectivity.rs"]
mod connectivity;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/modularity.rs"]
mod modularity;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::connectivity;
    use super::modularity;

    use clap::{Parser, Subcommand};
    use rnnscope::Result;

    #[derive(Parser)]
    #[command(
        name = "rnnscope",
        version,
        about = "Look inside small recurrent neural networks (JSON out)"
    )]
    struct Cli {
        #[command(subcommand)]
        cmd: Cmd,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Gaussian random connectivity W_ij ~ N(0, g²/N), seeded.
        Random(connectivity::RandomArgs),
        /// Eigenvalues and spectral radius of a square matrix (CSV or NPY).
        Spectrum(connectivity::SpectrumArgs),
        /// Louvain communities of a symmetric weight matrix (signed: BCT sym/asym).
        Modularity(modularity::ModularityArgs),
        /// Multilayer communities of windowed FC (Mucha et al. 2010), allegiance, flexibility.
        Multilayer(modularity::MultilayerArgs),
        /// Activation statistics of activity (T × M): moments, correlations, Gaussian entropy.
        Stats(modularity::StatsArgs),
    }

    fn dispatch(cmd: Cmd) -> Result<serde_json::Value> {
        match cmd {
            Cmd::Random(a) => connectivity::random(a),
            Cmd::Spectrum(a) => connectivity::spectrum(a),
            Cmd::Modularity(a) => modularity::modularity(a),
            Cmd::Multilayer(a) => modularity::multilayer(a),
            Cmd::Stats(a) => modularity::stats(a),
        }
    }

    pub fn main() -> std::process::ExitCode {
        let cli = Cli::parse();
        match dispatch(cli.cmd) {
            Ok(v) => {
                println!("{v}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
