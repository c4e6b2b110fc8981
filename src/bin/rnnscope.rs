//! `rnnscope` command line: JSON on stdout, one clear error line on stderr and
//! a non-zero exit code on failure.
//!
//! Matrix conventions: files are CSV (comma-separated numbers, no header) or
//! NPY. Connectivity W follows the RNN convention W[i][j] = weight from j to i.

#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/connectivity.rs"]
mod connectivity;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/curl.rs"]
mod curl;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/dynamics.rs"]
mod dynamics;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/experiment_shard.rs"]
mod experiment_shard;
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
#[path = "rnnscope/output.rs"]
mod output;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/record_npy.rs"]
mod record_npy;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/richlazy.rs"]
mod richlazy;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/study_shard.rs"]
mod study_shard;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/train_experiment.rs"]
mod train_experiment;
#[cfg(not(target_arch = "wasm32"))]
#[path = "rnnscope/training.rs"]
mod training;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{
        connectivity, curl, dynamics, hebbff, modularity, motifs, richlazy, train_experiment,
        training,
    };

    use super::output;
    use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
    use rnnscope::Result;

    #[derive(Parser)]
    #[command(
        name = "rnnscope",
        version,
        about = "Look inside small recurrent neural networks (JSON out)"
    )]
    struct Cli {
        /// No progress lines on stderr (they appear only on a terminal, after 2 s).
        #[arg(long)]
        quiet: bool,
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
        /// Reinforcement learning: an RNN policy on a two-armed bandit with reversals.
        Rl(training::RlArgs),
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
        /// Top-K Lyapunov exponents (QR method) and Kaplan–Yorke dimension of dh/dt = −h + Wφ(h).
        Lyapunov(dynamics::LyapunovArgs),
        /// Sweep g, alpha, kappa or rho over seeds: PR, λ1, timescales (mean ± sem).
        Sweep(dynamics::SweepArgs),
        /// Louvain communities of a symmetric weight matrix (signed: BCT sym/asym).
        Modularity(modularity::ModularityArgs),
        /// Multilayer communities of windowed FC (Mucha et al. 2010), allegiance, flexibility.
        Multilayer(modularity::MultilayerArgs),
        /// Activation statistics of activity (T × M): moments, correlations, Gaussian entropy.
        Stats(modularity::StatsArgs),
        /// HebbFF on continual familiarity detection: `hebbff train`, `hebbff study`.
        Hebbff(hebbff::HebbffArgs),
        /// Curl descent: student–teacher learning with sign-flipped plasticity (Ninou et al. 2025).
        Curl(curl::CurlArgs),
        /// Curl-descent phase diagram over (flipped neurons, init scale), expanding and contracting.
        CurlPhase(curl::CurlPhaseArgs),
        /// Rich vs lazy learning by the initial rank of W (Liu et al. 2024): weight, representation and tangent-kernel change.
        Richlazy(richlazy::RichLazyArgs),
    }

    fn dispatch(cmd: Cmd) -> Result<serde_json::Value> {
        match cmd {
            Cmd::Random(a) => connectivity::random(a),
            Cmd::Spectrum(a) => connectivity::spectrum(a),
            Cmd::Train(a) => training::train(a),
            Cmd::TrainExperiment(a) => train_experiment::train_experiment(a),
            Cmd::Rl(a) => training::rl(a),
            Cmd::Motifs(a) => motifs::motifs(a),
            Cmd::Ensemble(a) => dynamics::ensemble(a),
            Cmd::Simulate(a) => dynamics::simulate(a),
            Cmd::FixedPoints(a) => dynamics::fixed_points(a),
            Cmd::Dimension(a) => dynamics::dimension(a),
            Cmd::Lyapunov(a) => dynamics::lyapunov(a),
            Cmd::Sweep(a) => dynamics::sweep(a),
            Cmd::Modularity(a) => modularity::modularity(a),
            Cmd::Multilayer(a) => modularity::multilayer(a),
            Cmd::Stats(a) => modularity::stats(a),
            Cmd::Hebbff(a) => hebbff::hebbff(a),
            Cmd::Curl(a) => curl::curl(a),
            Cmd::CurlPhase(a) => curl::curl_phase(a),
            Cmd::Richlazy(a) => richlazy::richlazy(a),
        }
    }

    /// Let every numeric flag take a negative value (`--b -0.3`, `--input -0.5`)
    /// in every subcommand, at any depth.
    fn allow_negative(cmd: clap::Command) -> clap::Command {
        cmd.allow_negative_numbers(true)
            .mut_subcommands(allow_negative)
    }

    /// Reject NaN and ±Inf in any flag's value (also inside comma lists),
    /// naming the flag: clap's f64 parser accepts them.
    fn reject_non_finite(
        cmd: &clap::Command,
        m: &clap::ArgMatches,
    ) -> std::result::Result<(), String> {
        for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
            let id = arg.get_id().as_str();
            let Ok(Some(raw)) = m.try_get_raw(id) else {
                continue;
            };
            if m.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
                continue;
            }
            for v in raw {
                let v = v.to_string_lossy();
                for piece in v.split(',') {
                    let p = piece.trim().to_ascii_lowercase();
                    let p = p.trim_start_matches(['+', '-']);
                    if matches!(p, "nan" | "inf" | "infinity") {
                        let flag = arg.get_long().unwrap_or(id);
                        return Err(format!(
                            "parameter `{}` (--{flag}): must be a finite number, got {}",
                            flag.replace('-', "_"),
                            piece.trim()
                        ));
                    }
                }
            }
        }
        if let Some((name, sub)) = m.subcommand() {
            if let Some(sc) = cmd.find_subcommand(name) {
                reject_non_finite(sc, sub)?;
            }
        }
        Ok(())
    }

    fn fail(e: impl std::fmt::Display) -> std::process::ExitCode {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "error: {e}");
        std::process::ExitCode::FAILURE
    }

    pub fn main() -> std::process::ExitCode {
        let cmd = allow_negative(Cli::command());
        let matches = cmd.clone().get_matches();
        if let Err(e) = reject_non_finite(&cmd, &matches) {
            return fail(e);
        }
        let cli = match Cli::from_arg_matches(&matches) {
            Ok(c) => c,
            Err(e) => e.exit(),
        };
        output::set_quiet(cli.quiet);
        if let Err(e) = output::check_stdout_open() {
            return fail(e);
        }
        match dispatch(cli.cmd).and_then(|v| output::print_json(&v)) {
            Ok(_) => std::process::ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
