#!/usr/bin/env bash
# Registers one image pair with the batch job's pipeline and settings. Usage:
#   scripts/register-pair.sh --fixed F --moving M --out DIR [--config FILE] [--set key=value ...]
#                            [--KEY VALUE ...] [--fixed-mask F] [--moving-labels L [--fixed-labels F]] [--gpu N]
# Every settings key (conf/warpspark.properties) is also an option; --help lists them with their defaults.
# Writes DIR/transform.tfm, DIR/0GenericAffine.mat, DIR/TransformParameters.txt, DIR/warped.<moving's format>, DIR/summary.json and,
# after a deformable stage, DIR/displacement.nii.gz.
# One pair gets every core (WARPSPARK_THREADS overrides): the dense flow's full-resolution steps use them.
set -euo pipefail
source "$(dirname "$0")/env.sh"
export WARPSPARK_THREADS="${WARPSPARK_THREADS:-$(nproc)}"
warpspark_build
warpspark_java register-pair "$@"
