#!/usr/bin/env bash
# Generates sample pairs (2D and 3D with known motion, and one deliberately bad pair), runs the batch
# job on them with spark-submit on local[*] with QC pictures and the run's HTML report, and prints where
# the tables and the report are and a query over them.
# Usage: scripts/demo.sh [OUT_DIR]   (default: ./demo-out)
set -euo pipefail
here="$(dirname "$0")"
source "$here/env.sh"
warpspark_folder_argument "$@"
out="$(realpath -m "${1:-demo-out}")"
warpspark_build
( warpspark_java sample-data --out "$out/data" )
# One bad pair of three: allow it, so that the run itself succeeds.
"$here/run-job.sh" --manifest "$out/data/manifest.csv" --out "$out/tables" --run-id demo --max-failed-fraction 0.34 --qc
query="SELECT pair_id, stage, status, round(final_loss, 8) AS final_loss, iterations, round(seconds, 2) AS seconds, error
FROM registrations WHERE run_id = 'demo' ORDER BY pair_id, stage"
echo
echo "tables: $out/tables/{runs,registrations,losses,flow_fields}/run_id=demo/ (Parquet)"
echo "report: $out/tables/qc/run_id=demo/index.html (open it in a browser)"
echo "query:  $query"
"$here/sql.sh" --tables "$out/tables" "$query"
