#!/usr/bin/env bash
# Where a request's CPU time and allocations go (issue 25; docs/performance.md, "Where a request's time
# and allocations go"): starts the catalog from a jar with a JFR recording (profile settings), warms it
# up with wrk for 8 s, records 15 s of `wrk -t1 -c32` on GET /api/products/5, dumps the recording and
# buckets its CPU and allocation samples by layer (bench/request_profile.py).
#
#   bash bench/request-profile.sh JAR OUT_DIR [JVM options...]      (VIGIL_TELEMETRY, default every layer)
#
# JAVA_HOME picks the JDK; loopback port 18181.
set -euo pipefail
JAR=$1; OUT=$2; shift 2
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PORT=18181
mkdir -p "$OUT/data"
VIGIL_HOST=127.0.0.1 VIGIL_PORT=$PORT VIGIL_DATA_DIR="$OUT/data" \
  VIGIL_TELEMETRY=${VIGIL_TELEMETRY:-metrics,access-log,tracing} \
  "$JAVA_HOME/bin/java" -Xms128m -Xmx128m "$@" \
  -XX:StartFlightRecording=filename="$OUT/rec.jfr",settings=profile \
  -jar "$JAR" catalog >"$OUT/stdout.log" 2>"$OUT/stderr.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
wrk -t1 -c32 -d8s "http://127.0.0.1:$PORT/api/products/5" >/dev/null
wrk -t1 -c32 -d15s --latency "http://127.0.0.1:$PORT/api/products/5" | grep -E "Requests/sec|99%"
"$JAVA_HOME/bin/jcmd" $PID JFR.dump filename="$OUT/rec.jfr" >/dev/null
kill $PID; wait $PID 2>/dev/null || true
"$JAVA_HOME/bin/jfr" print --stack-depth 64 --events jdk.ExecutionSample "$OUT/rec.jfr" >"$OUT/cpu.txt"
"$JAVA_HOME/bin/jfr" print --stack-depth 64 --events jdk.ObjectAllocationSample "$OUT/rec.jfr" >"$OUT/alloc.txt"
echo "CPU samples:"; python3 "$(dirname "$0")/request_profile.py" "$OUT/cpu.txt"
echo "allocated bytes:"; python3 "$(dirname "$0")/request_profile.py" "$OUT/alloc.txt" weighted
