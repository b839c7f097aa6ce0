#!/usr/bin/env bash
# Benchmarks side by side on this machine; writes bench/results/latest.{md,json}.
#   jobs/bench.sh [--quick] [--large] [--sections training,peer,defaults,throughput,rows,scaling,calibration,scaleout] [--name NAME]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export SPARK_MDN_JAVA_OPTS="${SPARK_MDN_JAVA_OPTS:--Xmx6g}"
# the bench is no part of the application: its own jar, on this script's classpath only
ensure_bench_built
run_job --with-jar "$BENCH_JAR" io.sparkmdn.bench.BenchJob --master "local[2]" "$@"
