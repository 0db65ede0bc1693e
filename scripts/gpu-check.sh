#!/usr/bin/env bash
# Checks the deformable stage's TorchScript on a GPU. Step 1 (here, any machine): dumps the module and
# one iteration's inputs with DJL's CPU value and gradient into DIR (default .gpucheck/). Step 2 (on a
# machine with CUDA and PyTorch): `python3 scripts/gpu_check.py DIR` runs the module on CPU and CUDA,
# compares with DJL's result and times an iteration. Figures: BENCHMARKS.md, "The deformable module on a GPU".
set -euo pipefail
source "$(dirname "$0")/env.sh"
warpspark_folder_argument "$@"
dir="$(realpath -m "${1:-$WARPSPARK_HOME/.gpucheck}")"
warpspark_build
(cd "$WARPSPARK_HOME" && mvn -B -q -ntp -o -pl spark-job test-compile >&2)
mapfile -t flags < <(warpspark_jvm_flags)
# A temp folder of its own, so that the module archives found there are this run's.
mkdir -p "$dir" && tmp="$(mktemp -d)"
OMP_WAIT_POLICY=PASSIVE java "${flags[@]}" -Djava.io.tmpdir="$tmp" \
  -cp "$WARPSPARK_HOME/spark-job/target/test-classes:$WARPSPARK_HOME/spark-job/target/classes:$WARPSPARK_HOME/udfs/target/classes:$(cat "$WARPSPARK_CLASSPATH_FILE")" \
  org.warpspark.engine.deformable.GpuCheckDump "$dir"
rm -rf "$tmp"
echo "dumped into $dir; now, where CUDA PyTorch is: python3 scripts/gpu_check.py $dir"
