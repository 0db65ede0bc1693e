#!/usr/bin/env bash
# Spark GPU discovery script (spark.{executor,worker}.resource.gpu.discoveryScript): prints the GPUs
# of this machine as {"name": "gpu", "addresses": ["0", "1", ...]}. WARPSPARK_FAKE_GPUS="0,1" prints
# those addresses instead (tests and machines without GPUs: tasks then get an address, find no CUDA
# device and run on CPU, saying so).
set -euo pipefail
if [[ -n "${WARPSPARK_FAKE_GPUS:-}" ]]; then
  addresses="$WARPSPARK_FAKE_GPUS"
elif command -v nvidia-smi >/dev/null 2>&1; then
  addresses="$(nvidia-smi --query-gpu=index --format=csv,noheader | paste -sd, -)"
else
  addresses=""
fi
printf '{"name": "gpu", "addresses": [%s]}\n' \
  "$(tr ',' '\n' <<<"$addresses" | sed '/^$/d; s/.*/"&"/' | paste -sd, -)"
