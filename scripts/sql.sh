#!/usr/bin/env bash
# Runs SQL over a run's tables (views runs, registrations, losses, flow_fields) with Spark on local[*]:
#   scripts/sql.sh [--conf key=value ...] --tables DIR [--format table|csv|json] [--limit 50] "SELECT ..."
# e.g. scripts/sql.sh --tables DIR --format csv "SELECT pair_id, stage, status, final_loss FROM registrations"
# Leading --conf options go to Spark (e.g. --conf spark.hadoop.fs.s3a.endpoint=... for tables on S3).
set -euo pipefail
source "$(dirname "$0")/env.sh"
spark=()
while [[ "${1:-}" == "--conf" ]]; do
  spark+=("$1" "$2")
  shift 2
done
warpspark_build
warpspark_submit --master "local[*]" ${spark[@]+"${spark[@]}"} "$WARPSPARK_JAR" sql "$@"
