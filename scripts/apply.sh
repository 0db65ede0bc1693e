#!/usr/bin/env bash
# Applies a chain of transforms to one image with antsApplyTransforms' option names and chain order:
#   scripts/apply.sh -i INPUT -r REFERENCE -t T1 [-t T2 | -t [T2,1] ...] -o OUTPUT
#                    [-n Linear|NearestNeighbor] [-f DEFAULT] [-d DIM]
# -t A -t B maps a reference point x to A(B(x)) in the input: the last listed is applied first. A
# transform is an ITK .mat or .tfm/.txt affine, an elastix TransformParameters file, or a NIfTI
# displacement field; [FILE,1] uses an affine's inverse. Resampling is ITK's (docs/CONVENTIONS.md).
set -euo pipefail
source "$(dirname "$0")/env.sh"
export WARPSPARK_THREADS="${WARPSPARK_THREADS:-$(nproc)}"
warpspark_build
warpspark_java apply "$@"
