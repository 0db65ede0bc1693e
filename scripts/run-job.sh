#!/usr/bin/env bash
# Runs the batch job with spark-submit, on local[*] unless --master says otherwise:
#   scripts/run-job.sh --manifest M --out DIR [--run-id R] [--master URL] [--conf K=V ...] [job options: --help]
# --master and --conf go to spark-submit, everything else to the job.
#   scripts/run-job.sh apply --manifest M --out DIR [...]   (the apply job: transforms applied to every row)
#   scripts/run-job.sh report --tables DIR [--run-id R] [--out FOLDER]   (a run's HTML report, from its tables)
# Builds the shaded jar on first use. The tables land under DIR/{runs,registrations,losses,flow_fields}/run_id=R/
# (the apply job's under DIR/applications/run_id=R/, its outputs under DIR/outputs/run_id=R/).
set -euo pipefail
source "$(dirname "$0")/env.sh"
warpspark_build
command=run
if [[ "${1:-}" == apply || "${1:-}" == report ]]; then
  command="$1"
  shift
fi
master="local[*]"
spark=()
args=()
while (($#)); do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --master=*) master="${1#*=}"; shift ;;
    --conf) spark+=(--conf "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
warpspark_submit --master "$master" "${spark[@]}" "$WARPSPARK_JAR" "$command" "${args[@]}"
