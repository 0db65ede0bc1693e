# Shared by the scripts: builds the project on first use and prepares the JVM command line.
# Sourced, not run.
WARPSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARPSPARK_CLASSPATH_FILE="$WARPSPARK_HOME/spark-job/target/classpath.txt"

warpspark_build() {
  if [[ ! -f "$WARPSPARK_CLASSPATH_FILE" || ! -d "$WARPSPARK_HOME/spark-job/target/classes" \
        || -n "$(find "$WARPSPARK_HOME/udfs/src" "$WARPSPARK_HOME/spark-job/src/main" "$WARPSPARK_HOME/pom.xml" \
                 -newer "$WARPSPARK_CLASSPATH_FILE" -print -quit)" ]]; then
    echo "building warpspark (first use or sources changed)..." >&2
    (cd "$WARPSPARK_HOME" && mvn -B -q -ntp -Dstyle.color=never -DskipTests install >&2 \
      && mvn -B -q -ntp -Dstyle.color=never -pl spark-job dependency:build-classpath -Dmdep.includeScope=compile \
           -Dmdep.outputFile="$WARPSPARK_CLASSPATH_FILE" >&2)
  fi
}

# Java 17 needs Spark's module flags; DJL runs offline with passive OpenMP waits. One registration's
# batches are too small to gain from several intra-op threads (two were ~40 % slower on 2 cores), so
# the default is one; parallelism comes from running pairs side by side. WARPSPARK_THREADS overrides.
warpspark_java() {
  local threads="${WARPSPARK_THREADS:-1}"
  OMP_WAIT_POLICY=PASSIVE exec java -Xmx"${WARPSPARK_HEAP:-4g}" \
    -XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED \
    -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dlog4j2.configurationFile="$WARPSPARK_HOME/conf/log4j2-cli.properties" \
    -cp "$WARPSPARK_HOME/spark-job/target/classes:$WARPSPARK_HOME/udfs/target/classes:$(cat "$WARPSPARK_CLASSPATH_FILE")" \
    org.warpspark.job.WarpsparkCli "$@"
}
