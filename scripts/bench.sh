#!/usr/bin/env bash
# Prints the benchmark figures recorded in BENCHMARKS.md: sampler ms per forward+backward iteration,
# per-pair affine and deformable seconds, and the same pairs registered by Debian's elastix (if
# installed), with the errors of both against the known transform, and the peak memory of a 192^3
# deformable registration; and the batch job's throughput in local mode (pairs per minute, Spark's
# seconds per pair over the bare work); and how long an s3a lookup takes to give up on an endpoint
# that hangs up; and applying transforms against transformix (images per minute on elastix's own affine +
# B-spline chain, 2 mm brain-sized and 256^3; `apply` per image and the `apply --manifest` job) with the
# peak memory of a 1024x1024x512 float image through a field and an affine (`apply-memory` alone).
# `--only report` (not part of the default set) times the HTML report of a 500-pair run with --qc: rendered
# from the tables in the run's JVM, the whole `report` command, and headless Chromium opening it.
# `--only affine|deformable|memory|batch|job|apply|apply-memory|storage|report` runs one part; `--gpu 0` runs the affine and
# deformable registrations on CUDA device 0. DJL intra-op threads: WARPSPARK_THREADS (default 1);
# elastix gets every core. The benchmarks live in the bench module, outside the job jar.
#
# `--only anatomy [OPTIONS]` runs the accuracy benchmark on real anatomy instead (scripts/anatomy_bench.py,
# Debian's python3 with nibabel, scipy and dipy; the brains come from Debian's mricron-data): pairs made from
# real brains through known random affine + diffeomorphic maps, registered by warpspark (register-pair with
# its defaults), Debian's elastix (affine + 3-level B-spline) and dipy (affine + SyN) in one run, each scored
# against the known map; prints every method's row and the time ratios. Its options: --help.
#
# `--only brain-job [--pairs N] [--stages affine|affine,deformable] [--threads T] [--batch-sizes 1,3]` times the
# batch job over those brain pairs (3D, --exports; a run per --batch-size) against elastix run pair after pair
# on the same pairs, with both tools' mean errors and the job's mean seconds per part of a pair
# (registrations.timings). `--only batch` times batched against one-by-one affine registration in the engine.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if [[ "${1:-}" == "--only" && "${2:-}" == "brain-job" ]]; then
  shift 2
  warpspark_build
  exec /usr/bin/python3 "$WARPSPARK_HOME/scripts/anatomy_bench.py" job --out "$WARPSPARK_HOME/target/job-bench" "$@"
fi
if [[ "${1:-}" == "--only" && "${2:-}" == "anatomy" ]]; then
  shift 2
  warpspark_build
  out="$WARPSPARK_HOME/target/anatomy-bench"
  exec /usr/bin/python3 "$WARPSPARK_HOME/scripts/anatomy_bench.py" --out "$out" \
    --warpspark-cmd "$WARPSPARK_HOME/scripts/register-pair.sh" "$@"
fi
warpspark_build
warpspark_bench "$@"
