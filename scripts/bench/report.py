"""Merge reference, native and WASM timings into target/bench/report.{json,md}.

Usage: report.py IN.json... OUT_PREFIX (OUT_PREFIX.json and OUT_PREFIX.md).
Each input JSON has the shape {"task": {"size": {"impl": {"seconds": s, ...}}}}.
Prints a markdown table: every implementation's time and its ratio to
rnnscope native (for a reference: rnnscope's speed-up; for "rnnscope wasm":
the WASM overhead), the growth exponent of time with size (least-squares
slope of log t against log n) where a task has several numeric sizes, and the
issue's targets with pass/miss. Environment: BENCH_WASM_GZ, BENCH_WASM_MODELS_GZ and BENCH_WASM_IMPORT_GZ (bytes) for the
size target.
"""
import json
import math
import os
import platform
import sys
import time

paths = sys.argv[1:-1]
out = sys.argv[-1]
merged = {}
for p in paths:
    try:
        with open(p) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"[report] skipping {p}: {e}", file=sys.stderr)
        continue
    for task, sizes in data.items():
        for size, impls in sizes.items():
            merged.setdefault(task, {}).setdefault(size, {}).update(impls)

NATIVE, WASM = "rnnscope native", "rnnscope wasm"


def exponent(points):
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def size_key(s):
    head = s.split("x")[0]
    return (0, int(head), s) if head.isdigit() else (1, 0, s)


lines = [
    f"rnnscope benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — {cpu()}, "
    f"{os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"
    + (" — quick mode" if os.environ.get("BENCH_QUICK") == "1" else ""),
    "",
    "hebbff_epoch: CPU seconds per epoch (rnnscope native: its thread; wasm: the renderer process; "
    "pytorch: the process, all threads); the numpy row is wall time of forward + BPTT only.",
    "",
    "| task | size | implementation | seconds | ÷ rnnscope native | Q |",
    "|---|---|---|---|---|---|",
]
order = [NATIVE, WASM]
for task, sizes in merged.items():
    for size in sorted(sizes, key=size_key):
        impls = sizes[size]
        ours = impls.get(NATIVE, {}).get("seconds")
        names = [n for n in order if n in impls] + sorted(n for n in impls if n not in order)
        for name in names:
            r = impls[name]
            s = r.get("seconds")
            ratio = f"{s / ours:.2f}×" if ours and s and name != NATIVE else ""
            q = r.get("q")
            qs = f"{q:.4f}" if isinstance(q, (int, float)) else ""
            lines.append(f"| {task} | {size} | {name} | {s:.4g} | {ratio} | {qs} |")
    by_impl = {}
    for size in sorted(sizes, key=size_key):
        if size.isdigit():
            for name, r in sizes[size].items():
                by_impl.setdefault(name, []).append((int(size), r.get("seconds", 0)))
    for name, pts in by_impl.items():
        e = exponent(pts)
        if e is not None:
            lines.append(f"| {task} | growth {pts[0][0]}…{pts[-1][0]} | {name} | t ∝ n^{e:.2f} | | |")

# Targets of issue 10.
checks = []


def ratio(task, size, ref):
    impls = merged.get(task, {}).get(size, {})
    a, b = impls.get(ref, {}).get("seconds"), impls.get(NATIVE, {}).get("seconds")
    return a / b if a and b else None


def check(what, value, ok, target):
    if value is not None:
        checks.append((what, value, ok(value), target))


for size in sorted(merged.get("motifs", {}), key=size_key):
    check(f"motifs n={size}: igraph / native", ratio("motifs", size, "igraph motifs_randesu"), lambda v: v >= 2, "≥ 2×")
    check(f"motifs n={size}: networkx / native", ratio("motifs", size, "networkx triadic_census"), lambda v: v >= 100, "≥ 100×")
for size in sorted(merged.get("signed_louvain", {}), key=size_key):
    impls = merged["signed_louvain"][size]
    check(f"signed Louvain n={size}: bctpy / native", ratio("signed_louvain", size, "bctpy modularity_louvain_und_sign"), lambda v: v >= 20, "≥ 20×")
    lq = impls.get("leidenalg (pos/neg multiplex)", {}).get("q")
    nq = impls.get(NATIVE, {}).get("q")
    r = ratio("signed_louvain", size, "leidenalg (pos/neg multiplex)")
    if r is not None and lq is not None and nq is not None:
        checks.append((f"signed Louvain n={size}: leidenalg / native (Q {nq:.4f} vs {lq:.4f})", r, r >= 1 and nq >= lq - 1e-6, "≥ 1× at Q ≥ leidenalg's"))
# Issue 19 item 2: Q at least bctpy's, and time growing no faster than bctpy's.
BCT = "bctpy modularity_louvain_und_sign"
for size in sorted(merged.get("signed_louvain", {}), key=size_key):
    impls = merged["signed_louvain"][size]
    bq, nq = impls.get(BCT, {}).get("q"), impls.get(NATIVE, {}).get("q")
    if bq is not None and nq is not None:
        checks.append((f"signed Louvain n={size}: Q native − Q bctpy", nq - bq, nq >= bq - 1e-12, "≥ 0 (1e-12 rounding)"))
pts = {name: [(int(n), r[name]["seconds"]) for n, r in merged.get("signed_louvain", {}).items()
              if n.isdigit() and r.get(name, {}).get("seconds")] for name in (NATIVE, BCT)}
if len(pts[BCT]) >= 2:
    sizes_b = {n for n, _ in pts[BCT]}
    en, eb = exponent(sorted(p for p in pts[NATIVE] if p[0] in sizes_b)), exponent(sorted(pts[BCT]))
    if en is not None and eb is not None:
        checks.append((f"signed Louvain growth exponent, native (bctpy {eb:.2f})", en, en <= eb, "≤ bctpy's"))
ml = merged.get("multilayer", {}).get("120x50", {}).get(NATIVE, {}).get("seconds")
check("multilayer 120 units × 50 layers: native ms", ml * 1000 if ml else None, lambda v: v < 20, "< 20 ms")
# Issue 19 item 1: the RNN step against numpy doing the same loop.
check("rnn_simulation 200x10000: numpy / native", ratio("rnn_simulation", "200x10000", "numpy"), lambda v: v >= 2, "≥ 2×")
# Issue 19 item 3: readers at disk speed, and CSV → census ahead of igraph.
for size, want in [("dense01_2000_csv", 200), ("weights_1000_csv", 200), ("weights_2000_npy", 1000)]:
    mbs = merged.get("read", {}).get(size, {}).get(NATIVE, {}).get("mb_per_s")
    check(f"read {size}: native MB/s", mbs, lambda v, w=want: v >= w, f"≥ {want} MB/s")
check("dense 0/1 CSV → census: (pandas + igraph) / native",
      ratio("read_census", "dense01_2000_csv", "pandas read_csv + igraph Adjacency + motifs_randesu"),
      lambda v: v >= 2, "≥ 2×")
for task, sizes in merged.items():
    for size in sorted(sizes, key=size_key):
        r = ratio(task, size, WASM)
        check(f"{task} {size}: wasm / native", r, lambda v: v <= 1.3, "≤ 1.3×")
# HebbFF epoch against PyTorch (issue 19 item 5): CPU seconds per epoch.
for size in sorted(merged.get("hebbff_epoch", {}), key=size_key):
    impls = merged["hebbff_epoch"][size]
    for ref in sorted(n for n in impls if n.startswith("pytorch")):
        r = impls[ref]
        for ours in (NATIVE, WASM):
            a, b = r.get("seconds"), impls.get(ours, {}).get("seconds")
            if a and b:
                checks.append((f"hebbff_epoch {size}: {ref} / {ours} (CPU s)", a / b, a / b >= 3, "≥ 3×"))
        d = r.get("first_losses_max_rel_diff")
        if d is not None:
            checks.append((f"hebbff_epoch {size}: {ref}, max relative loss difference of the first "
                           f"{len(r.get('first_losses', []))} epochs from rnnscope's", d, d <= 1e-10, "≤ 1e-10"))
    a, b = impls.get(WASM, {}).get("first_losses"), impls.get(NATIVE, {}).get("first_losses")
    if a and b and len(a) == len(b):
        d = max(abs(x - y) / abs(y) for x, y in zip(a, b))
        checks.append((f"hebbff_epoch {size}: wasm, max relative loss difference of the first {len(a)} epochs from native",
                       d, d <= 1e-10, "≤ 1e-10"))
gz = os.environ.get("BENCH_WASM_GZ")
if gz:
    checks.append(("page WASM loaded at start-up (rnnscope_bg.wasm), gzip -9 (KB)", int(gz) / 1000,
                   int(gz) <= 500_000, "≤ 500 KB"))
for var, name in (("BENCH_WASM_MODELS_GZ", "rnnscope_models_bg.wasm"), ("BENCH_WASM_IMPORT_GZ", "rnnscope_import_bg.wasm")):
    # Fetched when a learning panel (models) or a container import (import) first needs it.
    g = os.environ.get(var)
    if g:
        checks.append((f"page WASM on demand ({name}), gzip -9 (KB)", int(g) / 1000, int(g) <= 500_000, "≤ 500 KB"))

lines += ["", "| target | measured | wanted | met |", "|---|---|---|---|"]
for what, v, ok, target in checks:
    vs = f"{v:.2e}" if 0 < abs(v) < 1e-3 else f"{v:.2f}"
    lines.append(f"| {what} | {vs} | {target} | {'yes' if ok else '**no**'} |")

md = "\n".join(lines) + "\n"
print(md)
with open(out + ".md", "w") as f:
    f.write(md)
with open(out + ".json", "w") as f:
    json.dump({"results": merged, "targets": [
        {"what": w, "measured": v, "met": ok, "wanted": t} for w, v, ok, t in checks]}, f, indent=1)
