#!/usr/bin/env bash
# Runs SQL over a run's tables (views runs, registrations, losses) with Spark on local[*]:
#   scripts/sql.sh --tables DIR "SELECT pair_id, stage, status, final_loss FROM registrations"
set -euo pipefail
source "$(dirname "$0")/env.sh"
warpspark_build
warpspark_submit --master "local[*]" "$WARPSPARK_JAR" sql "$@"
