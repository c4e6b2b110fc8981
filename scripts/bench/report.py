"""Merge reference, native and WASM timings into target/bench/report.{json,md}.

Each input JSON has the shape {"task": {"size": {"impl": {"seconds": s, ...}}}}.
Prints a markdown table: every implementation's time and rnnscope's speed-up
over it, plus the growth exponent of time with size (least-squares slope of
log t against log n) where a task has several numeric sizes.
"""
import json
import math
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


def exponent(points):
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


lines = [
    f"rnnscope benchmark — {time.strftime('%Y-%m-%d')} — {platform.machine()}, {platform.processor() or platform.platform()}",
    "",
    "| task | size | implementation | seconds | rnnscope native speed-up |",
    "|---|---|---|---|---|",
]
for task, sizes in merged.items():
    for size, impls in sizes.items():
        ours = impls.get("rnnscope native", {}).get("seconds")
        for name, r in sorted(impls.items()):
            s = r.get("seconds")
            ratio = f"{s / ours:.1f}×" if ours and s and not name.startswith("rnnscope native") else ""
            lines.append(f"| {task} | {size} | {name} | {s:.4g} | {ratio} |")
    by_impl = {}
    for size, impls in sizes.items():
        if size.isdigit():
            for name, r in impls.items():
                by_impl.setdefault(name, []).append((int(size), r.get("seconds", 0)))
    for name, pts in by_impl.items():
        e = exponent(pts)
        if e is not None:
            lines.append(f"| {task} | growth | {name} | t ∝ n^{e:.2f} | |")
md = "\n".join(lines) + "\n"
print(md)
with open(out + ".md", "w") as f:
    f.write(md)
with open(out + ".json", "w") as f:
    json.dump(merged, f, indent=1)
