// @ts-check
// Worker jobs for the modularity panel: activity (uploaded bytes or a seeded
// demo) → windowed FC → multilayer communities, plus activation statistics.

export const jobs = {
  /** Multilayer modularity of activity; returns typed arrays for the charts. */
  multilayer(wasm, a, progress) {
    let x;
    if (a.activity) {
      // Activity published by a model panel (store.js): T × N row-major.
      x = new wasm.Matrix(a.activity.t, a.activity.n, a.activity.data);
    } else if (a.bytes) {
      x = wasm.Matrix.fromBytes(new Uint8Array(a.bytes));
    } else {
      x = wasm.plantedActivity(a.planted);
    }
    let ml, st;
    try {
      const k = a.null ? a.nullSamples : 0;
      const runs = a.params.multilayer.runs;
      const total = runs + 1 + k;
      progress(0, total);
      st = wasm.activityStats(x, 40);
      // a.params: the core's ActivityParams ({window, step, multilayer: {…}}).
      ml = wasm.multilayerActivity(x, a.params, (done) => progress(done, total));
      // Optional null model (the CLI's --null/--null-samples): z and p of Q;
      // a connectional null that Q does not beat adds the no-structure warning.
      const nul = a.null ? ml.nullTest(a.null, k, BigInt(a.seed), (done) => progress(runs + done, total)) : undefined;
      const out = {
        t: x.rows, m: x.cols, q: ml.q, layers: ml.layers, nodes: ml.nodes, nCommunities: ml.nCommunities,
        qIntra: ml.qIntra, qInter: ml.qInter, floor: ml.floor, qSingletons: ml.qSingletons, qOneCommunity: ml.qOneCommunity, null: nul,
        mlWarnings: ml.warnings().split('\n').filter(Boolean),
        systemFlexibility: ml.systemFlexibility, warnings: [ml.warnings(), st.warnings()].filter(Boolean).join('\n'),
        labels: new Float64Array(ml.labels()), perLayer: new Float64Array(ml.communitiesPerLayer()),
        allegiance: new Float64Array(ml.allegiance()), fc: new Float64Array(ml.fcMean()),
        flexibility: new Float64Array(ml.flexibility()), order: new Float64Array(ml.order()),
        borders: new Float64Array(ml.borders()), stats: st.summary(),
        actEdges: new Float64Array(st.activationEdges()), actCounts: new Float64Array(st.activationCounts()),
        corEdges: new Float64Array(st.correlationEdges()), corCounts: new Float64Array(st.correlationCounts()),
      };
      progress(total, total);
      const transfer = ['labels', 'perLayer', 'allegiance', 'fc', 'flexibility', 'order', 'borders',
        'actEdges', 'actCounts', 'corEdges', 'corCounts'].map(k => out[k].buffer);
      return { result: out, transfer };
    } finally {
      ml?.free(); st?.free(); x.free();
    }
  },
};
