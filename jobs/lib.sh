# Sourced by the job scripts: builds the project when sources changed, then runs a job class in this JVM's
# driver (Spark master from --master, the config file, or local[*]).
#   SPARK_MDN_CONFIG     defaults file (default: conf/spark-mdn.properties)
#   SPARK_MDN_JAVA_OPTS  extra JVM options, e.g. -Xmx8g
#   SPARK_LOCAL_IP       address Spark binds to (default: 127.0.0.1)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/target/classpath.txt"
export SPARK_MDN_CONFIG="${SPARK_MDN_CONFIG:-$ROOT/conf/spark-mdn.properties}"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

ensure_built() {
  if [[ ! -f "$CP_FILE" || -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$CP_FILE" -print -quit)" ]]; then
    echo "building spark-mdn (mvn compile) ..." >&2
    mvn -q -B -f "$ROOT/pom.xml" -DskipTests compile dependency:build-classpath \
        -Dmdep.outputFile="$CP_FILE" >&2
    touch "$CP_FILE" # the plugin leaves an unchanged classpath file alone: mark this build as the newest
  fi
}

run_job() {
  local main_class=$1
  shift
  ensure_built
  # the Java 17 module flags Spark needs, read from the one place they are defined (pom.xml's jvm.opens)
  local opens
  opens=$(sed -n 's:.*<jvm.opens>\(-.*\)</jvm.opens>.*:\1:p' "$ROOT/pom.xml")
  # shellcheck disable=SC2086
  exec java $opens ${SPARK_MDN_JAVA_OPTS:-} -cp "$ROOT/target/classes:$(cat "$CP_FILE")" "$main_class" "$@"
}
