#!/usr/bin/env bash
# Submits a job to Spark with spark-submit:   jobs/submit.sh JOB [--conf k=v ...] [--master URL] [job options]
#   JOB: generate | train | params | sample | score | evaluate | calibrate | report
#   --master: default the master of jobs/cluster.sh when it runs, else local[*]
#   --conf k=v, --driver-memory, --executor-memory, --total-executor-cores, --deploy-mode: passed to spark-submit;
#   conf/spark-defaults.conf supplies the defaults that matter for ND4J (memory, BLAS threads, Kryo).
# Uses $SPARK_HOME/bin/spark-submit when present, else Spark's SparkSubmit class from the Spark home of
# jobs/cluster.sh. Builds the application jar (target/spark-mdn-*-all.jar) when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${SPARK_MDN_CLUSTER_DIR:-$ROOT/.cluster}"
export SPARK_HOME="${SPARK_HOME:-$ROOT/.spark-home}"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export SPARK_MDN_CONFIG="${SPARK_MDN_CONFIG:-$ROOT/conf/spark-mdn.properties}"

job=${1:-}
case "$job" in
  generate|train|params|sample|score|evaluate|calibrate|report) shift ;;
  -h|--help|"") sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; [[ -n "$job" ]]; exit ;;
  *) echo "error: unknown job '$job' (generate, train, params, sample, score, evaluate, calibrate, report)" >&2; exit 2 ;;
esac
class="io.sparkmdn.jobs.${job^}Job"

master=""
submit_args=()
job_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master=$2; shift 2 ;;
    --conf|--driver-memory|--executor-memory|--total-executor-cores|--executor-cores|--deploy-mode|--jars)
      submit_args+=("$1" "$2"); shift 2 ;;
    *) job_args+=("$1"); shift ;;
  esac
done
if [[ -z "$master" ]]; then
  if [[ -f "$STATE/master.pid" ]] && kill -0 "$(cat "$STATE/master.pid")" 2>/dev/null; then
    master=$(cat "$STATE/master-url")
  else
    master="local[*]"
  fi
fi

jar=$(ls "$ROOT"/target/spark-mdn-*-all.jar 2>/dev/null | head -1 || true)
if [[ -z "$jar" || -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building the application jar (mvn package) ..." >&2
  mvn -q -B -f "$ROOT/pom.xml" -DskipTests package >&2
  jar=$(ls "$ROOT"/target/spark-mdn-*-all.jar | head -1)
fi

args=(--master "$master" --class "$class" --properties-file "$ROOT/conf/spark-defaults.conf"
      ${submit_args[@]+"${submit_args[@]}"} "$jar" ${job_args[@]+"${job_args[@]}"})
if [[ -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${args[@]}"
fi
if [[ ! -d "$SPARK_HOME/jars" ]]; then
  echo "filling $SPARK_HOME/jars from Maven Central ..." >&2
  mvn -q -B -f "$ROOT/conf/spark-home/pom.xml" dependency:copy-dependencies -DoutputDirectory="$SPARK_HOME/jars" >&2
fi
opens=$(sed -n 's:.*<jvm.opens>\(-.*\)</jvm.opens>.*:\1:p' "$ROOT/pom.xml")
# shellcheck disable=SC2086
exec java $opens -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" ${SPARK_MDN_JAVA_OPTS:-} \
    -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit "${args[@]}"
