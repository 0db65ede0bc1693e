#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 from Spark's Maven jars (no Spark download): a master and
# two workers, each offering 1 core and two fake GPU addresses (worker 1: 0,1; worker 2: 2,3) through
# conf/gpu-discovery.sh.
#   scripts/local-cluster.sh start|stop|status [--dir DIR] [--workers N] [--worker-memory 3g]
# Master: spark://127.0.0.1:7077 (UI http://127.0.0.1:8090); state and logs in DIR (default
# target/local-cluster). Submit with scripts/run-job.sh --master spark://127.0.0.1:7077 ...
set -euo pipefail
source "$(dirname "$0")/env.sh"
command="${1:-status}"; shift || true
dir="$WARPSPARK_HOME/target/local-cluster"
workers=2
memory=3g
while (($#)); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --worker-memory) memory="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
MASTER_PORT=7077
MASTER_UI=8090

# SPARK_HOME as the workers need it: jars/ (links to Maven's), conf/ and a RELEASE file.
spark_home() {
  local home="$dir/spark-home"
  if [[ ! -d "$home/jars" ]]; then
    warpspark_build
    mkdir -p "$home/jars" "$home/conf"
    touch "$home/RELEASE"
    tr ':' '\n' < "$WARPSPARK_SPARK_CLASSPATH_FILE" | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
  fi
  echo "$home"
}

# Starts a daemon in the background, its pid in DIR/NAME.pid and its log in DIR/NAME.log.
daemon() {
  local name="$1"; shift
  local flags
  mapfile -t flags < <(WARPSPARK_HEAP=512m warpspark_jvm_flags)
  nohup java "${flags[@]}" "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

alive() {
  [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null
}

master_json() {
  # The master's JSON status page, without curl: bash's /dev/tcp.
  exec 3<>"/dev/tcp/127.0.0.1/$MASTER_UI" || return 1
  printf 'GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}

alive_workers() {
  master_json 2>/dev/null | grep -c '"state" : "ALIVE"' || true
}

case "$command" in
  start)
    mkdir -p "$dir"
    home="$(spark_home)"
    export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 OMP_WAIT_POLICY=PASSIVE
    alive master || daemon master -cp "$home/conf:$home/jars/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI"
    for ((w = 1; w <= workers; w++)); do
      gpus="$((2 * w - 2)),$((2 * w - 1))"
      alive "worker$w" || WARPSPARK_FAKE_GPUS="$gpus" daemon "worker$w" \
        -Dspark.worker.resource.gpu.amount=2 \
        -Dspark.worker.resource.gpu.discoveryScript="$WARPSPARK_HOME/conf/gpu-discovery.sh" \
        -cp "$home/conf:$home/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
        --memory "$memory" --webui-port "$((MASTER_UI + w))" --work-dir "$dir/worker$w-work" \
        "spark://127.0.0.1:$MASTER_PORT"
    done
    for _ in $(seq 1 120); do
      if [[ "$(alive_workers)" -ge "$workers" ]]; then
        echo "cluster up: spark://127.0.0.1:$MASTER_PORT, $workers workers (UI http://127.0.0.1:$MASTER_UI)"
        exit 0
      fi
      sleep 1
    done
    echo "the cluster did not come up in 120 s; logs in $dir" >&2
    exit 1
    ;;
  stop)
    for pidfile in "$dir"/worker*.pid "$dir"/master.pid; do
      [[ -f "$pidfile" ]] || continue
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    done
    echo "cluster stopped"
    ;;
  status)
    if alive master; then
      echo "master spark://127.0.0.1:$MASTER_PORT up, $(alive_workers) workers alive"
    else
      echo "no master running (state in $dir)"
      exit 1
    fi
    ;;
  *) echo "usage: $0 start|stop|status [--dir DIR] [--workers N]" >&2; exit 2 ;;
esac
