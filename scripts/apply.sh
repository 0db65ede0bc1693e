#!/usr/bin/env bash
# Applies a chain of transforms to one image with antsApplyTransforms' option names and chain order:
#   scripts/apply.sh -i INPUT -r REFERENCE -t T1 [-t T2 | -t [T2,1] ...] -o OUTPUT
#                    [-n Linear|NearestNeighbor] [-f DEFAULT] [-d DIM]
#   scripts/apply.sh -i POINTS.csv -t T1 [-t T2 ...] -o OUT.csv [--ras]   (points: x,y[,z] in LPS mm)
# -t A -t B maps a reference point x to B(A(x)) in the input (seen as moving the image, B moves it
# first): -t 1Warp.nii.gz -t 0GenericAffine.mat puts an ANTs moving image on the fixed grid. A
# transform is an ITK .mat, .tfm/.txt or .h5 file, an elastix TransformParameters file, or a NIfTI
# displacement field; [FILE,1] uses an affine's inverse. Resampling is ITK's (docs/CONVENTIONS.md).
set -euo pipefail
source "$(dirname "$0")/env.sh"
export WARPSPARK_THREADS="${WARPSPARK_THREADS:-$(nproc)}"
warpspark_build
warpspark_java apply "$@"
