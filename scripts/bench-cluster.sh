#!/usr/bin/env bash
# Pairs per minute of the same manifest on local[2] and on the 2-worker standalone cluster of
# scripts/local-cluster.sh (1 core each, one fake GPU per executor, so tasks fall back to the CPU).
# 12 copies of the 2D sample pair and 4 of the 3D one (scripts/demo.sh's data), default settings;
# times are whole spark-submit runs (JVM start, planning, registration, tables). Recorded in BENCHMARKS.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
warpspark_build
( warpspark_java sample-data --out "$work/data" ) >/dev/null 2>&1
{
  echo "pair_id,fixed,moving"
  for i in $(seq 1 12); do echo "2d_$i,2d/fixed.nii.gz,2d/moving.nii.gz"; done
  for i in $(seq 1 4); do echo "3d_$i,3d/fixed.nii.gz,3d/moving.nii.gz"; done
} >"$work/data/bench.csv"
pairs=16
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/run.log" 2>&1 || { tail -20 "$work/run.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
local_s=$(timed "$here/run-job.sh" --master "local[2]" --manifest "$work/data/bench.csv" --out "$work/local" --run-id bench)
"$here/local-cluster.sh" start --dir "$work/cluster" >/dev/null
cluster_s=$(timed "$here/run-job.sh" --master spark://127.0.0.1:7077 --conf spark.executor.cores=1 \
  --conf spark.executor.memory=3g --conf spark.executor.resource.gpu.amount=1 \
  --conf spark.executor.resource.gpu.discoveryScript="$WARPSPARK_HOME/conf/gpu-discovery.sh" \
  --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
  --manifest "$work/data/bench.csv" --out "$work/cluster-tables" --run-id bench --task-gpus 1)
"$here/local-cluster.sh" stop --dir "$work/cluster" >/dev/null
printf 'cores: %s, pairs: %d (12 x 2D 256x240, 4 x 3D 96x112x90), default settings\n' "$(nproc)" "$pairs"
awk -v s="$local_s" -v n="$pairs" 'BEGIN { printf "local[2]                    : %6.1f s, %5.1f pairs/min\n", s, 60 * n / s }'
awk -v s="$cluster_s" -v n="$pairs" 'BEGIN { printf "2-worker standalone cluster : %6.1f s, %5.1f pairs/min\n", s, 60 * n / s }'
