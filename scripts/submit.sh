#!/usr/bin/env bash
# Submits the batch job to a cluster, keeping cluster sizing apart from the job's own arguments:
#   scripts/submit.sh [spark-submit options ...] -- [run options ...]
# e.g.
#   scripts/submit.sh --master yarn --deploy-mode cluster --num-executors 8 --executor-cores 4 \
#       --properties-file conf/spark-defaults.yarn-gpu.conf \
#     -- --manifest s3a://bucket/pairs.csv --out s3a://bucket/tables --run-id 20261122 --resume --task-gpus 1
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME points at a Spark installation, else Spark's Maven
# jars (as scripts/run-job.sh does). Builds the shaded jar on first use. Credentials for s3a come from
# the standard providers (environment, profile, instance role), never from these arguments.
set -euo pipefail
source "$(dirname "$0")/env.sh"
spark=()
while (($#)) && [[ "$1" != "--" ]]; do
  spark+=("$1"); shift
done
if [[ "${1:-}" != "--" ]]; then
  echo "usage: $0 [spark-submit options ...] -- [run options ...]" >&2
  exit 2
fi
shift
warpspark_build
# Executors: idle OpenMP threads must not spin (libtorch's threads follow spark.task.cpus); their log
# names each line's pair and keeps Spark's own packages at WARN (conf/log4j2-executor.properties, read
# where this checkout lies: install it at the same path on every node, as the jar; a --files copy would
# arrive after an executor's logging has started). Options given after these win.
defaults=(--conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE
  --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=$WARPSPARK_HOME/conf/log4j2-executor.properties")
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" --class org.warpspark.cli.WarpsparkCli "${defaults[@]}" "${spark[@]}" \
    "$WARPSPARK_JAR" run "$@"
fi
warpspark_submit "${defaults[@]}" "${spark[@]}" "$WARPSPARK_JAR" run "$@"
