#!/usr/bin/env bash
# On the GPU machine: the bench module's command without Spark's jars, e.g.
#   scripts/gpu-machine/bench.sh --only deformable --gpu 0 --repeats 3 --elastix /none
set -euo pipefail
source "$(dirname "$0")/machine-env.sh"
mapfile -t flags < <(warpspark_jvm_flags)
exec java "${flags[@]}" -Djna.library.path="$CUDART_DIR" -cp "$(ls "$PACK"/jars/*.jar | paste -sd:)" \
  org.warpspark.bench.BenchCommand "$@"
