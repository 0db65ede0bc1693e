# Shared by the scripts: builds the project on first use and prepares the JVM command line.
# Sourced, not run.
# -P: through a linked scripts folder, to the checkout itself
WARPSPARK_HOME="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARPSPARK_CLASSPATH_FILE="$WARPSPARK_HOME/spark-job/target/classpath.txt"

# The shaded application jar that spark-submit runs and the Spark classpath beside it (Spark comes
# from Maven: no Spark download is needed).
WARPSPARK_VERSION="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$WARPSPARK_HOME/pom.xml")"
WARPSPARK_JAR="$WARPSPARK_HOME/spark-job/target/warpspark-spark-job-$WARPSPARK_VERSION-all.jar"
WARPSPARK_SPARK_CLASSPATH_FILE="$WARPSPARK_HOME/spark-job/target/spark-classpath.txt"
# The bench module's classpath (the job's classes, Spark, the shared test helpers): never in the job jar.
WARPSPARK_BENCH_CLASSPATH_FILE="$WARPSPARK_HOME/bench/target/classpath.txt"

# A script's --help (or -h) as its first argument: prints the script's header comment and exits; any
# other option where the script takes only a folder is refused. Usage: warpspark_folder_argument "$@"
warpspark_folder_argument() {
  case "${1:-}" in
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "$(basename "$0"): unknown option $1 (--help says what it takes)" >&2; exit 2 ;;
  esac
}

# One build for every script: classes, the shaded jar and both classpath files, redone when a
# source or POM is newer than any of them.
warpspark_build() {
  local output stale=""
  # set by a caller that has just built (the tests that run the README's commands inside the build)
  [[ "${WARPSPARK_BUILT:-}" == 1 ]] && return 0
  for output in "$WARPSPARK_CLASSPATH_FILE" "$WARPSPARK_JAR" "$WARPSPARK_SPARK_CLASSPATH_FILE" \
      "$WARPSPARK_BENCH_CLASSPATH_FILE"; do
    if [[ ! -f "$output" || -n "$(find "$WARPSPARK_HOME/udfs/src/main" "$WARPSPARK_HOME/spark-job/src" \
          "$WARPSPARK_HOME/bench/src/main" "$WARPSPARK_HOME/pom.xml" "$WARPSPARK_HOME/udfs/pom.xml" \
          "$WARPSPARK_HOME/spark-job/pom.xml" "$WARPSPARK_HOME/bench/pom.xml" -newer "$output" -print -quit)" ]]; then
      stale=yes
    fi
  done
  if [[ -n "$stale" || ! -d "$WARPSPARK_HOME/spark-job/target/classes" ]]; then
    echo "building warpspark (first use or sources changed)..." >&2
    # The dependency plugin leaves a classpath file whose content did not change untouched: touched here.
    (cd "$WARPSPARK_HOME" && mvn -B -q -ntp -Dstyle.color=never -DskipTests install >&2) \
      && touch "$WARPSPARK_CLASSPATH_FILE" "$WARPSPARK_SPARK_CLASSPATH_FILE" "$WARPSPARK_BENCH_CLASSPATH_FILE"
  fi
}

# The flags of every JVM the scripts start: Java 17 needs Spark's module flags
# (org.apache.spark.launcher.JavaModuleOptions), whose one list is the parent POM's
# java.module.flags (the tests run with it too); DJL runs offline with passive OpenMP waits. The affine
# stage's batches are too small to gain from several intra-op threads (two were ~40 % slower on 2 cores),
# so the default is one and parallelism comes from running pairs side by side; register-pair, one pair
# alone, sets every core, which the dense flow's full-resolution steps use. WARPSPARK_THREADS overrides.
warpspark_jvm_flags() {
  local threads="${WARPSPARK_THREADS:-1}"
  printf '%s\n' -Xmx"${WARPSPARK_HEAP:-4g}"
  sed -n 's:.*<java.module.flags>\(.*\)</java.module.flags>.*:\1:p' "$WARPSPARK_HOME/pom.xml" | tr ' ' '\n'
  printf '%s\n' -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dlog4j2.configurationFile="$WARPSPARK_HOME/conf/log4j2-cli.properties"
}

# Runs MAIN_CLASS on CLASSPATH with the flags above: warpspark_run CLASSPATH MAIN_CLASS ARGS...
warpspark_run() {
  local flags classpath="$1" main="$2"
  shift 2
  mapfile -t flags < <(warpspark_jvm_flags)
  OMP_WAIT_POLICY=PASSIVE exec java "${flags[@]}" -cp "$classpath" "$main" "$@"
}

# The command line (run, sql, register-pair, sample-data) on the build's classes.
warpspark_java() {
  warpspark_run "$WARPSPARK_HOME/spark-job/target/classes:$WARPSPARK_HOME/udfs/target/classes:$(cat \
    "$WARPSPARK_CLASSPATH_FILE")" org.warpspark.cli.WarpsparkCli "$@"
}

# The benchmarks (scripts/bench.sh), on the bench module's classpath.
warpspark_bench() {
  warpspark_run "$WARPSPARK_HOME/bench/target/classes:$(cat "$WARPSPARK_BENCH_CLASSPATH_FILE")" \
    org.warpspark.bench.BenchCommand "$@"
}

# spark-submit without a Spark installation: SparkSubmit's main class on Spark's Maven jars. In local
# mode the driver runs the tasks, so the DJL settings go on this JVM; on a cluster, pass them to the
# executors with --conf spark.executor.extraJavaOptions (see docs).
#
# Class data sharing: the first run of a build records the classes it loads (Spark's are most of them) in
# an archive under target/cds/, keyed by the jar and Spark's classpath; later runs map that archive instead
# of loading and verifying each class, which cut a 6-pair affine run from 20.9 to 16.5 s (BENCHMARKS.md).
# The recording run's exit takes ~20 s longer. WARPSPARK_CDS=0 turns it off.
warpspark_submit() {
  local flags cds=() key archive="" recording="" rc=0
  mapfile -t flags < <(warpspark_jvm_flags)
  if [[ "${WARPSPARK_CDS:-1}" == 1 ]]; then
    key=$( (cat "$WARPSPARK_SPARK_CLASSPATH_FILE"; stat -c '%s %Y' "$WARPSPARK_JAR"; java -version 2>&1) \
      | sha256sum | cut -c1-16)
    archive="$WARPSPARK_HOME/target/cds/$key.jsa"
    if [[ -f "$archive" ]]; then
      cds=(-XX:SharedArchiveFile="$archive" -Xlog:cds*=off)
    else
      mkdir -p "$(dirname "$archive")"
      recording="$archive.$$"
      cds=(-XX:ArchiveClassesAtExit="$recording" -Xlog:cds*=off)
    fi
  fi
  OMP_WAIT_POLICY=PASSIVE SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" java "${flags[@]}" "${cds[@]}" \
    -cp "$(cat "$WARPSPARK_SPARK_CLASSPATH_FILE")" org.apache.spark.deploy.SparkSubmit \
    --class org.warpspark.cli.WarpsparkCli --conf spark.ui.showConsoleProgress=false "$@" || rc=$?
  # a finished archive takes the shared name in one step, so runs beside this one never map half a file;
  # archives of earlier builds (160 MB each) go
  if [[ -n "$recording" && -f "$recording" ]]; then
    find "$(dirname "$archive")" -maxdepth 1 -name '*.jsa' ! -name "$(basename "$archive")" -delete
    mv -f "$recording" "$archive"
  fi
  return "$rc"
}
