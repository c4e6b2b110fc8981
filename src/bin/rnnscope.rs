//! `rnnscope` command line: JSON on stdout, one clear error line on stderr and
//! a non-zero exit code on failure.
//!
//! Matrix conventions: files are CSV (comma-separated numbers, no header) or
//! NPY. Connectivity W follows the RNN convention W[i][j] = weight from j to i.

#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/connectivity.rs"]
mod connectivity;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/dynamics.rs"]
mod dynamics;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/hebbff.rs"]
mod hebbff;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/modularity.rs"]
mod modularity;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/motifs.rs"]
mod motifs;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/richlazy.rs"]
mod richlazy;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/train_experiment.rs"]
mod train_experiment;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/training.rs"]
mod training;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{
        connectivity, dynamics, hebbff, modularity, motifs, richlazy, train_experiment, training,
    };

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
        /// Train a rate RNN on flipflop, sine or decision (BPTT + Adam).
        Train(training::TrainArgs),
        /// The poster's experiments on Level-1- vs Level-3-enriched networks: noise sweep or perturbation.
        TrainExperiment(train_experiment::TrainExperimentArgs),
        /// Three-node motif census (13 motifs, BCT ids), weighted, null-model z-scores, stability levels.
        Motifs(motifs::MotifsArgs),
        /// Draw W from an ensemble (gaussian, sparse, dale, lowrank, powerlaw, exponential, flat).
        Ensemble(dynamics::EnsembleArgs),
        /// Simulate dh/dt = −h/τ + Wφ(h) + I + η; activity T × N, PR.
        Simulate(dynamics::SimulateArgs),
        /// Fixed points by Newton's method, Jacobian eigenvalues, stability.
        FixedPoints(dynamics::FixedPointsArgs),
        /// Participation ratio, explained variance and timescales of T × N activity.
        Dimension(dynamics::DimensionArgs),
        /// Louvain communities of a symmetric weight matrix (signed: BCT sym/asym).
        Modularity(modularity::ModularityArgs),
        /// Multilayer communities of windowed FC (Mucha et al. 2010), allegiance, flexibility.
        Multilayer(modularity::MultilayerArgs),
        /// Activation statistics of activity (T × M): moments, correlations, Gaussian entropy.
        Stats(modularity::StatsArgs),
        /// HebbFF on continual familiarity detection: `hebbff train`, `hebbff study`.
        Hebbff(hebbff::HebbffArgs),
        /// Rich vs lazy learning by the initial rank of W (Liu et al. 2024): weight, representation and tangent-kernel change.
        Richlazy(richlazy::RichLazyArgs),
    }

    fn dispatch(cmd: Cmd) -> Result<serde_json::Value> {
        match cmd {
            Cmd::Random(a) => connectivity::random(a),
            Cmd::Spectrum(a) => connectivity::spectrum(a),
            Cmd::Train(a) => training::train(a),
            Cmd::TrainExperiment(a) => train_experiment::train_experiment(a),
            Cmd::Motifs(a) => motifs::motifs(a),
            Cmd::Ensemble(a) => dynamics::ensemble(a),
            Cmd::Simulate(a) => dynamics::simulate(a),
            Cmd::FixedPoints(a) => dynamics::fixed_points(a),
            Cmd::Dimension(a) => dynamics::dimension(a),
            Cmd::Modularity(a) => modularity::modularity(a),
            Cmd::Multilayer(a) => modularity::multilayer(a),
            Cmd::Stats(a) => modularity::stats(a),
            Cmd::Hebbff(a) => hebbff::hebbff(a),
            Cmd::Richlazy(a) => richlazy::richlazy(a),
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
