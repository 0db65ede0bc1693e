#!/usr/bin/env bash
# Registers one image pair. Usage:
#   scripts/register-pair.sh --fixed F --moving M --out DIR [--model translation|rigid|similarity|affine]
#                            [--loss mse|ncc|mi] [--fixed-mask F] [--seed N] [more: --help]
# Writes DIR/transform.tfm, DIR/TransformParameters.txt, DIR/warped.<moving's format>, DIR/summary.json.
set -euo pipefail
source "$(dirname "$0")/env.sh"
warpspark_build
warpspark_java register-pair "$@"
