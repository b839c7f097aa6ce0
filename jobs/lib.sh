# Sourced by the job scripts: builds the project when sources changed, then runs a job class in this JVM's
# driver (Spark master from --master, the config file, or local[*]).
#   SPARK_MDN_CONFIG     defaults file (default: conf/spark-mdn.properties)
#   SPARK_MDN_JAVA_OPTS  extra JVM options, e.g. -Xmx8g
#   SPARK_LOCAL_IP       address Spark binds to (default: 127.0.0.1)
#   SPARK_MDN_CDS        0 turns off the class-data sharing archive (default: on; see run_job)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/target/classpath.txt"
CLASSES_JAR="$ROOT/target/spark-mdn-classes.jar"
CDS_ARCHIVE="$ROOT/target/spark-mdn-classes.jsa"
BENCH_JAR="$ROOT/target/spark-mdn-bench.jar"
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
  if [[ ! -f "$CLASSES_JAR" || "$CP_FILE" -nt "$CLASSES_JAR" \
        || -n "$(find "$ROOT/target/classes" -newer "$CLASSES_JAR" -print -quit)" ]]; then
    # class-data sharing takes jars only; an archive of other classes is no use: drop it
    rm -f "$CDS_ARCHIVE"
    jar cf "$CLASSES_JAR.tmp" -C "$ROOT/target/classes" . && mv "$CLASSES_JAR.tmp" "$CLASSES_JAR"
  fi
}

# The bench (src/bench/java, no part of the application) compiled against the application's classes, as a jar that
# only jobs/bench.sh puts on its classpath.
ensure_bench_built() {
  ensure_built
  if [[ ! -f "$BENCH_JAR" || "$CLASSES_JAR" -nt "$BENCH_JAR" \
        || -n "$(find "$ROOT/src/bench" -newer "$BENCH_JAR" -print -quit)" ]]; then
    echo "building the bench (mvn compiler:compile@bench) ..." >&2
    rm -rf "$ROOT/target/bench-classes" # a class whose source is gone must not stay behind
    mvn -q -B -f "$ROOT/pom.xml" compiler:compile@bench >&2
    jar cf "$BENCH_JAR.tmp" -C "$ROOT/target/bench-classes" . && mv "$BENCH_JAR.tmp" "$BENCH_JAR"
  fi
}

# Runs a job class: run_job [--with-jar JAR] MAIN_CLASS ARGS... (JAR goes after the application's classpath). With
# class-data sharing (the default), the first run after a build records the classes it loaded in
# target/spark-mdn-classes.jsa as it exits, and later runs map them from there instead of loading and verifying them
# again: about 3.5 s less of JVM and Spark start-up per job on 2 cores (bench/HISTORY.md).
run_job() {
  local extra_cp=""
  if [[ "$1" == --with-jar ]]; then
    extra_cp=":$2"
    shift 2
  fi
  local main_class=$1
  shift
  ensure_built
  # the Java 17 module flags Spark needs, read from the one place they are defined (pom.xml's jvm.opens)
  local opens
  opens=$(sed -n 's:.*<jvm.opens>\(-.*\)</jvm.opens>.*:\1:p' "$ROOT/pom.xml")
  local cp="$CLASSES_JAR:$(cat "$CP_FILE")$extra_cp" cds=${SPARK_MDN_CDS:-1} arg
  # an archive is mapped only by runs whose classpath starts with the one it was written with: a run with an extra
  # jar maps the jobs' archive but never writes one
  [[ -n "$extra_cp" && ! -f "$CDS_ARCHIVE" ]] && cds=0
  for arg in "$@"; do
    # help and version load too few classes to be worth archiving
    [[ "$arg" == -h || "$arg" == --help || "$arg" == -V || "$arg" == --version ]] && [[ ! -f "$CDS_ARCHIVE" ]] && cds=0
  done
  if [[ "$cds" == 0 ]]; then
    # shellcheck disable=SC2086
    exec java $opens ${SPARK_MDN_JAVA_OPTS:-} -cp "$cp" "$main_class" "$@"
  elif [[ -f "$CDS_ARCHIVE" ]]; then
    # shellcheck disable=SC2086
    exec java $opens -XX:SharedArchiveFile="$CDS_ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off \
        ${SPARK_MDN_JAVA_OPTS:-} -cp "$cp" "$main_class" "$@"
  else
    # written under a name of its own, then moved: a run started meanwhile never maps half an archive
    local tmp="$CDS_ARCHIVE.$$.tmp" rc=0
    # shellcheck disable=SC2086
    java $opens -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
        ${SPARK_MDN_JAVA_OPTS:-} -cp "$cp" "$main_class" "$@" || rc=$?
    if [[ $rc == 0 && -s "$tmp" ]]; then mv -f "$tmp" "$CDS_ARCHIVE"; else rm -f "$tmp"; fi
    return $rc
  fi
}
