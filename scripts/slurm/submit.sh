#!/usr/bin/env bash
# Submit an rnnscope study to Slurm as a job array of shards plus a merge job
# that runs once every shard succeeded (--dependency=afterok:<array id>).
#
#   scripts/slurm/submit.sh [--shards S] [--cpus C] [--time T] [--mem M] OUT_DIR -- <study command …>
#
#   scripts/slurm/submit.sh --shards 24 --cpus 2 runs/paper -- \
#       hebbff study --data fixed --instances 120
#   scripts/slurm/submit.sh --shards 10 runs/poster -- train-experiment both --seeds 20
#   scripts/slurm/submit.sh --shards 8 runs/phase -- curl-phase --seeds 10
#   scripts/slurm/submit.sh --shards 8 runs/ranks -- richlazy --task dms --seeds 10
#
# Shards go to OUT_DIR/shards, logs to OUT_DIR/logs, the merged outputs to
# OUT_DIR (hebbff: summary.json, instances.json, curves.csv, timings.json;
# train-experiment, curl-phase, richlazy: report.json, timings.json). Extra
# sbatch options (account, partition, qos …) come from $SBATCH_OPTS. The rnnscope binary is $RNNSCOPE
# (default: the one on PATH, resolved to an absolute path here).
# Prints the two job ids as `array=<id> merge=<id>` on stdout.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards=4 cpus=1 time=24:00:00 mem=""
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --shards) shards=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --time) time=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "submit.sh: unknown option $1" >&2; usage ;;
    *) out=$1; shift ;;
  esac
done
[[ -n ${out:-} && $# -ge 1 ]] || usage
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards must be a positive integer" >&2; exit 2; }
# The merge group: `rnnscope GROUP merge SHARD_DIR --out OUT_DIR` (merge.sbatch).
case "$1 ${2:-}" in
  "hebbff study") group=hebbff ;;
  "train-experiment noise"|"train-experiment perturb"|"train-experiment both") group=train-experiment ;;
  "curl-phase merge"*|"richlazy merge"*) group="" ;;
  "curl-phase "*) group=curl-phase ;;
  "richlazy "*) group=richlazy ;;
  *) group="" ;;
esac
[[ -n $group ]] || { echo "submit.sh: the study command must be 'hebbff study …', 'train-experiment noise|perturb|both …', 'curl-phase …' or 'richlazy …', got '$*'" >&2; exit 2; }
bin=${RNNSCOPE:-$(command -v rnnscope || true)}
[[ -x $bin ]] || { echo "submit.sh: no rnnscope binary (set RNNSCOPE=/path/to/rnnscope)" >&2; exit 2; }
mkdir -p "$out/shards" "$out/logs"
out=$(cd "$out" && pwd)
export RNNSCOPE=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") RNNSCOPE_SHARDS=$shards
common=(--parsable --export=ALL --time="$time" ${mem:+--mem="$mem"})
# shellcheck disable=SC2086 # SBATCH_OPTS is a list of options
array=$(sbatch "${common[@]}" ${SBATCH_OPTS:-} --array="1-$shards" --cpus-per-task="$cpus" \
  --output="$out/logs/shard-%a.out" "$here/shard.sbatch" "$out/shards" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch "${common[@]}" ${SBATCH_OPTS:-} --dependency="afterok:$array" --cpus-per-task=1 \
  --output="$out/logs/merge.out" "$here/merge.sbatch" "$group" "$out/shards" "$out")
merge=${merge%%;*}
echo "array=$array merge=$merge"
