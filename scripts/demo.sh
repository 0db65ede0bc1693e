#!/usr/bin/env bash
# Generates synthetic 2D and 3D pairs with known motion and registers them, printing the recovered
# and the true fixed-to-moving maps. Usage: scripts/demo.sh [OUT_DIR]   (default: ./demo-out)
set -euo pipefail
source "$(dirname "$0")/env.sh"
out="$(realpath -m "${1:-demo-out}")"
warpspark_build
( warpspark_java sample-data --out "$out/data" )
for pair in 3d 2d; do
  ( warpspark_java register-pair --fixed "$out/data/$pair/fixed.nii.gz" --moving "$out/data/$pair/moving.nii.gz" \
      --out "$out/$pair" --model rigid --loss mse )
  echo "true fixed-to-moving ($out/data/$pair/truth.tfm):"; grep '^Parameters' "$out/data/$pair/truth.tfm"
  echo "found fixed-to-moving ($out/$pair/transform.tfm):"; grep '^Parameters' "$out/$pair/transform.tfm"
done
