#!/usr/bin/env bash
# On the GPU machine: a standalone master and one worker offering the machine's GPUs through
# conf/gpu-discovery.sh (nvidia-smi), from the packed Spark jars, then
#   check       the sample pairs registered with --task-gpus 1 and without GPUs; the rows read back
#   throughput  32 copies of the sample 3D pair (96x112x90, default settings) on the CPU (16 tasks at
#               once) and on the GPU with 16, 4 and 1 tasks sharing it; whole spark-submit runs timed
# Logs in /tmp/warpspark-gpu (and $OUT when set).
set -uo pipefail
source "$(dirname "$0")/machine-env.sh"
mode="${1:?usage: $0 check|throughput}"
work=/tmp/warpspark-gpu && rm -rf "$work" && mkdir -p "$work"
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" && touch "$SPARK_HOME/RELEASE"
app="$(ls "$PACK"/spark/*/warpspark.jar)"
for jar in "$PACK"/spark/*/*.jar; do [[ "$jar" == "$app" ]] || ln -s "$jar" "$SPARK_HOME/jars/"; done
mapfile -t flags < <(WARPSPARK_HEAP=2g warpspark_jvm_flags)
discovery="$WARPSPARK_HOME/conf/gpu-discovery.sh"
cores=$(nproc)
java "${flags[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port 7077 --webui-port 8090 >"$work/master.log" 2>&1 &
java "${flags[@]}" -Dspark.worker.resource.gpu.amount="$(nvidia-smi -L | wc -l)" \
  -Dspark.worker.resource.gpu.discoveryScript="$discovery" -cp "$SPARK_HOME/jars/*" \
  org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory 64g --webui-port 8091 \
  --work-dir "$work/work" spark://127.0.0.1:7077 >"$work/worker.log" 2>&1 &
trap 'kill $(jobs -p) 2>/dev/null; mkdir -p "${OUT:-$work}"; cp "$work"/*.log "${OUT:-$work}/" 2>/dev/null' EXIT
java "${flags[@]}" -cp "$app:$SPARK_HOME/jars/*" org.warpspark.cli.WarpsparkCli sample-data --out "$work/data" \
  >"$work/sample-data.log" 2>&1
submit() {
  java "${flags[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
    --class org.warpspark.cli.WarpsparkCli --conf spark.ui.showConsoleProgress=false "$@"
}
# run NAME MANIFEST TASK_GPUS [spark-submit options]: one timed run on the cluster.
run() {
  local name="$1" manifest="$2" share="$3" start rc; shift 3
  start=$(date +%s.%N)
  submit --master spark://127.0.0.1:7077 --conf spark.executor.cores="$cores" --conf spark.executor.memory=32g \
    --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
    --conf "spark.executor.extraJavaOptions=-Djna.library.path=$CUDART_DIR" "$@" "$app" run \
    --manifest "$manifest" --out "$work/tables" --run-id "$name" --task-gpus "$share" --max-failed-fraction 1 \
    >"$work/run-$name.log" 2>&1
  rc=$?
  awk -v a="$start" -v b="$(date +%s.%N)" -v n="$name" -v rc="$rc" -v p="$(($(wc -l <"$manifest") - 1))" \
    'BEGIN { printf "%-12s exit %d, %d pairs in %6.1f s: %6.1f pairs/min\n", n, rc, p, b - a, 60 * p / (b - a) }'
}
gpus=(--conf spark.executor.resource.gpu.amount=1 --conf spark.executor.resource.gpu.discoveryScript="$discovery")
case "$mode" in
  check)
    run gpu "$work/data/manifest.csv" 1 "${gpus[@]}"
    run cpu "$work/data/manifest.csv" 0
    query="SELECT run_id, pair_id, stage, status, device, gpu_address, round(seconds, 2) AS seconds,
      iterations, mse_after FROM registrations ORDER BY pair_id, stage, run_id" ;;
  throughput)
    { echo "pair_id,fixed,moving"; for i in $(seq 1 32); do echo "3d_$i,3d/fixed.nii.gz,3d/moving.nii.gz"; done; } \
      >"$work/data/copies.csv"
    run cpu "$work/data/copies.csv" 0
    run gpu_share16 "$work/data/copies.csv" 0.0625 "${gpus[@]}"
    run gpu_share4 "$work/data/copies.csv" 0.25 "${gpus[@]}"
    run gpu_whole "$work/data/copies.csv" 1 "${gpus[@]}"
    query="SELECT run_id, stage, device, count(*) AS pairs, sum(CAST(status = 'ok' AS INT)) AS ok,
      round(avg(seconds), 2) AS mean_s, round(max(seconds), 2) AS max_s, avg(mse_after) AS mse_after
      FROM registrations GROUP BY run_id, stage, device ORDER BY run_id, stage" ;;
  *) echo "usage: $0 check|throughput" >&2; exit 2 ;;
esac
submit --master 'local[2]' "$app" sql --tables "$work/tables" "$query" 2>"$work/sql.log"
