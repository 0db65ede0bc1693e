#!/usr/bin/env bash
# Prints the benchmark figures recorded in BENCHMARKS.md: sampler ms per forward+backward iteration,
# per-pair affine and deformable seconds, and the same pairs registered by Debian's elastix (if
# installed), with the errors of both against the known transform, and the peak memory of a 192^3
# deformable registration; and the batch job's throughput in local mode (pairs per minute, Spark's
# seconds per pair over the bare work); and how long an s3a lookup takes to give up on an endpoint
# that hangs up. `--only affine|deformable|job|storage` runs one part; `--gpu 0` runs the affine and
# deformable registrations on CUDA device 0. DJL intra-op threads: WARPSPARK_THREADS (default 1);
# elastix gets every core. The benchmarks live in the bench module, outside the job jar.
set -euo pipefail
source "$(dirname "$0")/env.sh"
warpspark_build
warpspark_bench "$@"
