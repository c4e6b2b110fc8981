// @ts-check
// Presets: one click each, every one reproducing a figure or claim from the
// sources, with a caption saying what to look for. A preset is just a link
// state (panel + values); values a panel does not know fall back to defaults.

export const presets = [
  {
    id: 'motif-levels',
    title: 'Motif stability levels (Motifs)',
    panel: 'motifs',
    values: { source: 'random', n: 40, density: 0.12, seed: 3, null: 'swap', samples: 20 },
    caption: 'The 13 three-node motifs coloured by stability level (Zhang et al. poster): level 1 (blue, acyclic) is stable whenever the self-terms are negative, level 2 (orange) adds a 2×2 condition, level 3 (dark wine, cyclic; the digit in each glyph is the level) needs full Routh–Hurwitz. In a sparse random graph level-1 motifs dominate; the z-scores compare with degree-preserving random graphs.',
  },
  {
    id: 'circular-law',
    title: 'Circular law (Dynamics)',
    panel: 'dynamics',
    values: { n: 400, g: 1.5, seed: 1 },
    caption: 'N = 400, g = 1.5: the eigenvalues of W fill the disc of radius g almost uniformly; the spectral radius readout is within a few percent of g.',
  },
  {
    id: 'edge-of-chaos',
    title: 'Edge of chaos, g = 1 (Dynamics)',
    panel: 'dynamics',
    values: { n: 300, g: 1.0, seed: 2 },
    caption: 'At g = 1 the disc of eigenvalues touches Re λ = 1: for the rate network dh/dt = −h + W tanh(h) this is where the quiet state loses stability and chaos begins (Sompolinsky et al. 1988). Raise g above 1 to cross over.',
  },
  {
    id: 'edge-of-chaos-lesson',
    title: 'Edge of chaos — lesson view (Dynamics)',
    panel: 'dynamics',
    lesson: true,
    values: { n: 300, g: 0.8, seed: 2, sigma: 0, input: 0, yrange: '2' },
    caption: 'For teaching: the spectrum, the live traces and the sliders on one screen, traces on a fixed ±2 scale. Start at g = 0.8 and move the g slider past 1.',
  },
  // ---- product ----
  {
    id: 'random-mode-dimension',
    title: 'Dimension vs random-mode spectrum (Dynamics)',
    panel: 'dynamics',
    values: { kind: 'exponential', n: 200, g: 3, a: 24, b: 0, sigma: 0, seed: 1, sweep: 'kappa', autoSweep: true, pca: '3d' },
    caption: 'Random-mode model (Clark et al.): J = Σ_a s_a u_a v_aᵀ with independent random modes, singular values s_a ∝ e^(−a/κ), no left–right overlap (ρ = 0), g = 3 (Σs_a² = g²N), no noise. The sweep raises κ from 6 to 120, which raises the effective rank (Σs²)²/Σs⁴ from ≈ 6 to ≈ 112 at N = 200 (listed per κ in the readout). In our CLI runs (N = 300, 3 seeds, docs/results/random-mode.md) the dimension (PR of the rates) rises with it, 1.75 ± 0.23 at κ = 6 to 8.86 ± 1.2 at κ = 120 (p = 0.026) — the paper’s claim that dimension grows with the effective rank — but λ1 rises too (−0.06 ± 0.06 → 0.14 ± 0.01): at low κ the network is barely or not chaotic, so this is not a comparison at matched chaos. The page runs a shorter version (N = 200, 3 seeds, 400 samples), with the same picture: PR 1.98 ± 0.05 at κ = 6 (1 of 3 seeds settles on a fixed point and has no PR) → 5.6 ± 1.3 at κ = 120, λ1 −0.08 ± 0.08 → 0.11 ± 0.04. (An earlier preset, power law α = 1 at g = 2, reaches fixed points: its O(1) effective rank leaves the chaotic regime the theory describes.)',
  },
  // ---- end product ----
  {
    id: 'hebbff-pipeline',
    title: 'Multilayer modules, HebbFF settings (Modularity)',
    panel: 'modularity',
    values: { window: 50, step: 0, omega: 1, gamma: 1.02, gammaNeg: 1, runs: 5, seed: 1 },
    caption: 'The HebbFF study’s analysis pipeline (windows of 50 samples → signed functional connectivity → multilayer Louvain with γ⁺ = 1.02, γ⁻ = 1, ω = 1) on demo activity with 4 planted modules that slowly exchange units: look for 4 blocks in the allegiance matrix and the few colour changes (flexibility) in the raster. Upload hidden activity (T × M) to run it on your own model.',
  },
  // ---- training experiments (poster) ----
  {
    id: 'poster-noise',
    title: 'Level-1 vs Level-3 noise robustness (poster)',
    panel: 'training',
    values: { task: 'flipflop', n: 32, batch: 16, lr: 0.02, seed: 1, xkind: 'both', xgroups: 'level1:+1,level3:+1', xn: 32, xseeds: 3, xiters: 800, xlambda: 0.001, xkick: 0.5 },
    caption: 'The poster’s two experiments (Zhang et al.): press “Run experiments” to train 3 flip-flop networks whose motif regulariser enriches Level-1 (acyclic) motifs and 3 enriching Level-3 (strongly connected) motifs — 1–2 minutes in the worker — then see accuracy as input noise grows and how far outputs and PC trajectories go after a kick, with ± sem bands. The poster reports Level-1 networks more robust to noise and Level-3 networks with wider deviations; our measurements (README, “Poster experiments”) did not reproduce a clear difference.',
  },
  // ---- hebbff presets ----
  {
    id: 'hebbff-training',
    title: 'HebbFF: modularity rises, #communities falls during training (HebbFF)',
    panel: 'hebbff',
    values: { n: 100, m: 120, r: 5, p: 0.5, data: 'fresh', epochs: 1500, every: 50, testlen: 1000, window: 50, runs: 3, seed: 1, autorun: 'train' },
    caption: 'One HebbFF (N = 100, M = 120, R = 5) trains on fresh streams in a worker — reduced from the paper’s study (fixed 2,500-item set, 1,000 epochs, T = 2,500) to a held-out stream of 1,000 items in 20 windows of 50 so it runs in a few minutes here. Look for the held-out accuracy (the authors’ balanced accuracy) climbing from chance (1/3) to about 0.95, and for Q, its within-layer part q_intra and the number of communities (paper Fig. 2–3). Honest note: in our runs q_intra stays ≤ 0 — the hidden units are almost uniformly correlated — so the page flags “no community structure beyond the inter-layer coupling”, and the communities and allegiance should not be read as modules. ▶ Play on the allegiance matrix animates the paper’s Fig. 2C view of it.',
  },
  {
    id: 'hebbff-paradox',
    title: 'HebbFF: the Simpson’s paradox (study of 8 instances) (HebbFF)',
    panel: 'hebbff',
    values: { n: 100, m: 120, r: 5, p: 0.5, data: 'fresh', epochs: 600, every: 25, testlen: 1000, window: 50, runs: 1, seed: 1, instances: 8, corrwin: 6, autorun: 'study' },
    caption: 'Eight seeded instances on a pool of workers — reduced from the paper’s 120 instances × 1,000 epochs to 600 fresh-stream epochs, snapshots every 25 epochs on 1,000 held-out items (windows of 50) and one Louvain run, so it finishes in minutes. Compare the two correlation curves: the paper (Fig. 4) finds Q positively correlated with accuracy within an instance (blue) but negatively across instances at a fixed late epoch (orange) — a Simpson’s paradox. Also look at the learning modes (warm-up plateau or not) and the mediation table. Honest note: on our reduced run (seeds 1–8) the paradox did not appear — mean within-instance r(Q, accuracy) ≈ 0.05 and across-instance r ≈ +0.67, and #communities gave ≈ −0.02 vs −0.63; 8 short instances are few, and the CLI (`rnnscope hebbff study`) runs the full scale.',
  },
  // ---- learning presets (issue 21) ----
  {
    id: 'curl-small-large',
    title: 'Curl descent: small vs large curl (Learning)',
    panel: 'learning',
    values: { d: 40, m: 10, k: 10, fl1: 4, fl2: 0, side: 'col', scale: 1, lr: 0.1, epochs: 1500, seed: 1, autorun: 'curl' },
    caption: 'A contracting student (d = 40 inputs, K = M = 10 hidden units) with 4 of its 40 inputs rule-flipped, trained next to plain GD from the same start. Look at the loss curves (flipped rule vs GD), the Jacobian at the teacher solution (points right of Re λ = 0 are unstable directions) and λ_max. Then set “flipped in layer 1” to 0 (small curl: the two runs coincide) or to 20–40 (large curl). The paper (Ninou et al. 2025) finds small curl harmless and strong curl destabilising — chaotic learning that destroys performance in contracting networks. Our runs (docs/results/curl-descent.md, n = 4 seeds) reproduced that: every flipped fraction from 10 % gave λ₁ > 0 and no convergence here. This run (seed 1): with 4 flips the student does not converge (train ½·MSE 0.021 vs GD 2.5·10⁻⁴), the teacher solution is unstable (max Re 0.13) and λ_max ≈ +0.010 per unit time; with 0 flips it converges in 331 epochs. The paper’s other case, curl speeding learning up by escaping saddles, did NOT reproduce at our scale.',
  },
  {
    id: 'richlazy-rank',
    title: 'Rich vs lazy: initial rank (Learning)',
    panel: 'learning',
    values: { task: 'decision', n: 32, ranks: '1,4,16,N', aligned: true, iters: 300, rlr: 0.03, rseeds: 2, seed: 1, autorun: 'richlazy' },
    caption: 'Trains 2 rate RNNs (N = 32, 300 SGD steps) on perceptual decision making from W₀ of rank 1, 4, 16 and 32 plus the task-aligned low-rank W₀, and plots how much they changed against W₀’s effective rank. The paper (Liu et al., ICLR 2024): higher rank → lazier (alignments near 1, small weight change), low rank → richer, except a task-aligned low-rank W₀, which learns lazily. Our larger runs (docs/results/rich-lazy.md, N = 64, 4 seeds, 1500 iterations) reproduced the rise of tangent-kernel and representation alignment with rank (decision: ρ = 0.83 and 0.58), the weight-change trend only weakly, and NOT the exception: our task-aligned W₀ changed more than a random W₀ of the same rank. This page run (seeds 1–2, n = 8 ranked runs, a few seconds) shows all four trends in the paper’s direction — Spearman ρ = −0.98 for ‖ΔW‖, +0.88 tangent-kernel, +0.73 representation, +0.78 sign similarity — and the task-aligned W₀ again changing most; other seeds and tasks are noisier.',
  },
];

/** Build the header's preset picker; `apply(preset)` switches state. */
export function presetPicker(panels, apply) {
  const known = new Set(panels.map((p) => p.id));
  const select = document.createElement('select');
  select.id = 'presets';
  select.setAttribute('aria-label', 'Presets that reproduce figures from the papers');
  select.append(new Option('Presets…', ''));
  for (const p of presets.filter((q) => known.has(q.panel))) select.append(new Option(p.title, p.id));
  // Apply on a pick (mouse, or Enter in the open list) or on Enter, never on
  // the change that arrow keys fire on a closed select: arrows only move.
  let moving = false;
  const run = () => {
    const p = presets.find((q) => q.id === select.value);
    select.value = '';
    if (p) apply(p);
  };
  select.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { ev.preventDefault(); moving = false; run(); return; }
    moving = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(ev.key) || /^.$/.test(ev.key);
  });
  select.addEventListener('pointerdown', () => { moving = false; });
  select.addEventListener('change', () => {
    if (moving) { moving = false; return; }
    run();
  });
  select.title = 'Pick a preset, or move with the arrow keys and press Enter';
  return select;
}
