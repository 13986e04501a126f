# Sourced by bin/zkspark, bin/zkspark-cluster and bin/zkspark-submit (not run on its own): where the
# packaged jars are, building them when they are missing or older than the sources, and the JVM
# flags Spark needs. Defines ROOT, JAR, LIB, SPARK_OPENS, needs_build, build, ensure_built,
# app_dep_jars and ensure_spark_home.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/spark-jobs/target/spark-jobs-0.1.0-SNAPSHOT.jar"
LIB="$ROOT/spark-jobs/target/lib"

needs_build() {
  [ -f "$JAR" ] && [ -d "$LIB" ] || return 0
  # any source, resource or pom newer than the jar
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/prover-core" "$ROOT/datasets" "$ROOT/spark-jobs" \
        \( -path '*/target' -o -path '*/src/test' \) -prune -o \
        -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -newer "$JAR" -print -quit 2>/dev/null)" ]
}

build() {
  local log="${TMPDIR:-/tmp}/zkspark-build-$$.log"
  echo "zkspark: building (first run or sources changed; about a minute)..." >&2
  # offline first (fast, no network); online only if a dependency is missing from ~/.m2
  if ! (cd "$ROOT" && mvn -q -B -o -DskipTests package >"$log" 2>&1); then
    if ! (cd "$ROOT" && mvn -q -B -DskipTests package >"$log" 2>&1); then
      echo "zkspark: build failed; the Maven log is $log" >&2
      exit 4
    fi
  fi
  rm -f "$log"
  # Maven leaves an up-to-date module jar untouched, so after a change to another module only the
  # jar's time says the build is current
  touch "$JAR"
}

# Builds when needed; concurrent launchers wait for one build (the lock is released and closed
# afterwards, so processes started later do not inherit it).
ensure_built() {
  if needs_build; then
    exec 9>"${TMPDIR:-/tmp}/zkspark-build.lock"
    flock 9
    if needs_build; then build; fi
    flock -u 9
    exec 9>&-
  fi
}

# Spark's JavaModuleOptions (the same list as the Surefire argLine in pom.xml).
SPARK_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)

# JVM settings for the prover's own JVM (bin/zkspark): a batch job that allocates arrays of tens of
# megabytes (codewords, fraction layers) by the hundred. G1 treats each as a humongous object and
# starts a concurrent cycle for many of them, and faulting fresh 4 KiB pages in costs kernel time;
# committing the stories15M witness took 29 s with the defaults and 17 s with the parallel collector
# and transparent huge pages (docs/ARCHITECTURE.md, "Threads and JVM settings"). Either is left out when
# ZKSPARK_JAVA_OPTS chooses a collector or huge pages itself; huge pages only where the kernel
# offers them to programs that ask (THP "always" or "madvise").
PROVER_JVM=()
if [[ ! "${ZKSPARK_JAVA_OPTS:-}" =~ -XX:[+-]Use[A-Za-z0-9]*GC ]]; then
  PROVER_JVM+=(-XX:+UseParallelGC)
fi
# HUGE_PAGES=1 when the JVM will use transparent huge pages (ours or the user's flag).
HUGE_PAGES=0
if [[ "${ZKSPARK_JAVA_OPTS:-}" =~ -XX:\+UseTransparentHugePages ]]; then
  HUGE_PAGES=1
elif [[ ! "${ZKSPARK_JAVA_OPTS:-}" =~ TransparentHugePages ]] \
    && grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  PROVER_JVM+=(-XX:+UseTransparentHugePages)
  HUGE_PAGES=1
fi

# Pre-touch for the proving commands: when ZKSPARK_JAVA_OPTS fixes the heap's maximum (-Xmx) and
# sets neither -Xms nor pre-touching, and huge pages are on, the whole heap is committed and touched
# at start (-Xms = -Xmx, -XX:+AlwaysPreTouch). Faulting heap pages in while proving cost the
# stories15M proof a fifth of its time on this machine (the collector's copies into fresh old-space
# pages most of all), and touching 20 GiB in huge pages takes about 3 s at start (55 s in 4 KiB
# pages, hence only with huge pages). ZKSPARK_PRETOUCH=0 turns it off. Usage: prover_pretouch CMD.
prover_pretouch() {
  case "${1:-}" in
    prove|bench|demo|prove-job|pipeline|commit-model|commit-job) ;;
    *) return 0 ;;
  esac
  local opts="${ZKSPARK_JAVA_OPTS:-}"
  if [ "${ZKSPARK_PRETOUCH:-1}" = 0 ] || [ "$HUGE_PAGES" != 1 ] || [[ "$opts" =~ -Xms|PreTouch ]]; then
    return 0
  fi
  if [[ "$opts" =~ (^|[[:space:]])-Xmx([0-9]+[kKmMgGtT]?)([[:space:]]|$) ]]; then
    PROVER_JVM+=("-Xms${BASH_REMATCH[2]}" -XX:+AlwaysPreTouch)
  fi
}

# zkspark's own runtime dependencies, which a Spark installation does not have: the project's
# modules and what they bring (BouncyCastle, picocli, Jackson; Spark has its own copy of this
# Jackson version, shipping it as well is harmless). Everything else in target/lib is Spark's.
APP_DEPS=(prover-core datasets picocli bcprov-jdk18on jackson-databind jackson-core jackson-annotations)
# Of those, the ones no Spark installation has (left out of the generated SPARK_HOME below).
APP_ONLY_DEPS=(prover-core datasets picocli bcprov-jdk18on)

# Prints the jars of APP_DEPS found in target/lib, one per line.
app_dep_jars() {
  local n f
  for n in "${APP_DEPS[@]}"; do
    for f in "$LIB/$n"-[0-9]*.jar; do
      [ -f "$f" ] && printf '%s\n' "$f"
    done
  done
  return 0
}

# A Spark installation made of the Spark jars in target/lib: spark-jobs/target/spark-home/jars
# holds a symlink to every jar of target/lib except APP_ONLY_DEPS, so Master, Workers and the
# executors they launch see what a stock Spark has and nothing of zkspark's (executors get
# zkspark's classes through spark-submit --jars, as on any cluster). Recreated after a build.
SPARK_HOME_DIR="$ROOT/spark-jobs/target/spark-home"
ensure_spark_home() {
  local stamp="$SPARK_HOME_DIR/.from-lib"
  if [ -f "$stamp" ] && ! [ "$JAR" -nt "$stamp" ] && ! [ "$LIB" -nt "$stamp" ]; then
    return 0
  fi
  exec 9>"${TMPDIR:-/tmp}/zkspark-build.lock"
  flock 9
  if ! [ -f "$stamp" ] || [ "$JAR" -nt "$stamp" ] || [ "$LIB" -nt "$stamp" ]; then
    local tmp="$SPARK_HOME_DIR.tmp.$$" f base n skip
    rm -rf "$tmp"
    mkdir -p "$tmp/jars"
    for f in "$LIB"/*.jar; do
      base="$(basename "$f")"
      skip=0
      for n in "${APP_ONLY_DEPS[@]}"; do
        case "$base" in "$n"-[0-9]*.jar) skip=1 ;; esac
      done
      [ "$skip" = 1 ] || ln -s "$f" "$tmp/jars/$base"
    done
    touch "$tmp/.from-lib"
    rm -rf "$SPARK_HOME_DIR"
    mv "$tmp" "$SPARK_HOME_DIR"
  fi
  flock -u 9
  exec 9>&-
}
