#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1: one master and N workers, each a JVM whose PID is recorded.
#   jobs/cluster.sh start [--workers N] [--cores C] [--memory M] [--port P] [--webui-port U]
#   jobs/cluster.sh status
#   jobs/cluster.sh stop
# Spark comes from $SPARK_HOME when set, else from a Spark home filled with Spark 3.5's jars from Maven Central
# (.spark-home/, built on first use). State (PIDs, master URL, logs, work dirs) lives in $SPARK_MDN_CLUSTER_DIR
# (default .cluster/). Stop kills only the recorded PIDs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${SPARK_MDN_CLUSTER_DIR:-$ROOT/.cluster}"
export SPARK_HOME="${SPARK_HOME:-$ROOT/.spark-home}"
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_SCALA_VERSION=2.12

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ensure_spark_home() {
  if [[ ! -d "$SPARK_HOME/jars" ]]; then
    echo "filling $SPARK_HOME/jars from Maven Central ..." >&2
    mvn -q -B -f "$ROOT/conf/spark-home/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$SPARK_HOME/jars" >&2
  fi
}

# waits until the master's JSON endpoint reports $2 alive workers
wait_for_workers() {
  local ui=$1 want=$2
  for _ in $(seq 1 120); do
    local n
    n=$(curl -fs "http://127.0.0.1:$ui/json/" 2>/dev/null | grep -o '"state" *: *"ALIVE"' | wc -l || true)
    [[ "$n" -ge "$want" ]] && return 0
    sleep 0.5
  done
  echo "error: the master at port $ui did not report $want alive workers; logs in $STATE" >&2
  return 1
}

start() {
  local workers=2 cores=1 memory=3g port=7077 ui=8080
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --workers) workers=$2; shift 2 ;;
      --cores) cores=$2; shift 2 ;;
      --memory) memory=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --webui-port) ui=$2; shift 2 ;;
      *) echo "error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
  done
  if alive "$STATE/master.pid"; then
    echo "error: a cluster already runs (master PID $(cat "$STATE/master.pid")); jobs/cluster.sh stop first" >&2
    exit 2
  fi
  ensure_spark_home
  mkdir -p "$STATE"
  rm -f "$STATE"/*.pid
  local opens
  opens=$(sed -n 's:.*<jvm.opens>\(-.*\)</jvm.opens>.*:\1:p' "$ROOT/pom.xml")
  # shellcheck disable=SC2086
  nohup java $opens -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port "$ui" > "$STATE/master.log" 2>&1 &
  echo $! > "$STATE/master.pid"
  echo "spark://127.0.0.1:$port" > "$STATE/master-url"
  echo "$ui" > "$STATE/master-ui-port"
  wait_for_workers "$ui" 0
  for i in $(seq 1 "$workers"); do
    mkdir -p "$STATE/work-$i"
    # shellcheck disable=SC2086
    nohup java $opens -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port $((ui + i)) \
        --work-dir "$STATE/work-$i" "spark://127.0.0.1:$port" > "$STATE/worker-$i.log" 2>&1 &
    echo $! > "$STATE/worker-$i.pid"
  done
  wait_for_workers "$ui" "$workers"
  status
}

status() {
  if ! alive "$STATE/master.pid"; then
    echo "no cluster runs (state in $STATE)"
    return 0
  fi
  local ui
  ui=$(cat "$STATE/master-ui-port")
  echo "master  $(cat "$STATE/master-url")  PID $(cat "$STATE/master.pid")  web UI http://127.0.0.1:$ui"
  for f in "$STATE"/worker-*.pid; do
    [[ -f "$f" ]] || continue
    local i=${f##*worker-}; i=${i%.pid}
    local state=stopped
    alive "$f" && state="PID $(cat "$f")"
    echo "worker $i  $state  web UI http://127.0.0.1:$((ui + i))"
  done
}

stop() {
  local f
  for f in "$STATE"/worker-*.pid "$STATE"/master.pid; do
    [[ -f "$f" ]] || continue
    local pid
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "stopped $(basename "$f" .pid) (PID $pid)"
    fi
    rm -f "$f"
  done
  rm -f "$STATE/master-url"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  status) status ;;
  stop) stop ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
