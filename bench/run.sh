#!/usr/bin/env bash
# vigil bench: builds what the benchmarks need, then runs them all and writes docs/performance.md.
#
#   ./vigil bench            (finds a JDK >= 21, installs wrk and hey, then runs this script)
#   bash bench/run.sh        (with JAVA_HOME pointing at a JDK >= 21)
#
# Steps: the vigil jar (cli/target/vigil.jar), the benchmarks jar (bench/target/vigil-benchmarks.jar),
# the Spring Boot peer (bench/peers/spring-catalog, a standalone Maven project),
# then dev.vigil.bench.BenchRun: JMH hot path and scrape, the load comparison (vigil in five telemetry
# modes and the Spring peer, each a separate JVM with the same JDK and heap; wrk, then hey closed-loop as
# the second load generator of the key ratios, then hey at half the peak rate), the memory-growth run, SLO
# compilation (JMH, then `vigil slo generate` as fresh JVMs), then docs/performance.md with issue 25's
# goals (reasons and next steps of goals not met: bench/goals.md, hand-written).
# About 20-25 minutes on 2 cores. Knobs (environment): BENCH_ROUNDS=3 BENCH_SECONDS=4
# BENCH_WARMUP_SECONDS=3 BENCH_CONNECTIONS=16,64 BENCH_HEY_CONNECTIONS=64 (default: the highest of
# BENCH_CONNECTIONS) BENCH_HEY_WORKERS=32 BENCH_HEAP=128m BENCH_MEMORY_REQUESTS=1000000 BENCH_JMH_FORKS=3
# BENCH_PARTS=jmh,load,memory,slo. Every run replaces in docs/performance.md only the sections and
# subsections it renders and keeps every other one in place (those written by hand included); a run of
# some parts renders only theirs, e.g. BENCH_PARTS=slo in about 2 minutes. Logs, data and scripts go to
# .vigil/bench/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 0 ]] || die "takes no arguments (got: $*); set BENCH_* environment variables instead, see the head of bench/run.sh"
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] ||
  die "JAVA_HOME must point at a JDK >= 21 (run ./vigil bench, which finds one, or export JAVA_HOME=/usr/lib/jvm/<jdk>)"
for tool in wrk hey /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool is missing: sudo apt-get install wrk hey time (./vigil bench installs wrk and hey itself)"
done

# The vigil jar is rebuilt only when a POM or main source is newer (as ./vigil does): other processes may
# be running from it.
if [[ ! -f cli/target/vigil.jar || -n "$(find . -path ./.vigil -prune -o -path ./bench -prune -o \
    \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer cli/target/vigil.jar -print -quit)" ]]; then
  printf 'bench: building the vigil jar...\n' >&2
  ./mvnw -B -q -DskipTests package -pl cli -am
fi
printf 'bench: building the benchmarks jar and the Spring peer...\n' >&2
./mvnw -B -q -DskipTests package -pl bench -am
./mvnw -B -q -DskipTests -f bench/peers/spring-catalog/pom.xml package

mkdir -p .vigil/bench
exec "$JAVA_HOME/bin/java" -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.BenchRun "$ROOT"
