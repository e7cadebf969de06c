#!/usr/bin/env bash
# The RUM beacon's cost per request: the catalog's CPU time per POST /rum/beacon (a storefront beacon of
# 4 samples: page load, LCP, CLS, one API call) against GET /healthz (the cheapest instrumented request,
# same HTTP, metrics and access-log path), read from /proc/<pid>/stat around a wrk run of each.
#
#   bash bench/rum-beacon.sh        (JAVA_HOME: a JDK >= 21; needs wrk and cli/target/vigil.jar:
#                                    ./mvnw -B -q package -pl cli -am -DskipTests)
# Knobs: RUM_SECONDS=10 RUM_CONNECTIONS=8 RUM_ROUNDS=3. Prints one line per round and request.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN="${RUM_SECONDS:-10}"
CONNECTIONS="${RUM_CONNECTIONS:-8}"
ROUNDS="${RUM_ROUNDS:-3}"
JAR="$ROOT/cli/target/vigil.jar"
[[ -x "${JAVA_HOME:-}/bin/java" ]] || { echo "JAVA_HOME must point at a JDK >= 21" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "$JAR is missing: ./mvnw -B -q package -pl cli -am -DskipTests" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 2; }

WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
VIGIL_PORT="$PORT" VIGIL_DATA_DIR="$WORK/data" VIGIL_PAYMENTS_URL=http://127.0.0.1:9 \
  "$JAVA_HOME/bin/java" -Xmx256m -cp "$JAR" dev.vigil.catalog.CatalogCommand >"$WORK/catalog.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

cat >"$WORK/beacon.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"page":"product","samples":[{"kind":"page_load","value":0.412},' ..
  '{"kind":"web_vital","name":"LCP","value":0.388},{"kind":"web_vital","name":"CLS","value":0.02},' ..
  '{"kind":"api","endpoint":"/api/orders","value":0.051}]}'
LUA

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK="$(getconf CLK_TCK)"

run() { # name, wrk arguments...
  local name="$1"; shift
  local before after out requests
  before="$(cpu_ticks)"
  out="$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@")"
  after="$(cpu_ticks)"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  python3 - "$name" "$requests" "$before" "$after" "$TICK" "$out" <<'PY'
import re, sys
name, requests, before, after, tick, out = sys.argv[1:]
requests = int(requests)
cpu_us = (int(after) - int(before)) / int(tick) * 1e6 / requests
rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
p99 = re.search(r"99%\s+(\S+)", out).group(1)
print(f"{name:10s} requests={requests} req/s={rps} p99={p99} cpu_us_per_request={cpu_us:.1f}")
PY
}

# warm-up: JIT and pools
wrk -t1 -c"$CONNECTIONS" -d3s -s "$WORK/beacon.lua" "http://127.0.0.1:$PORT/rum/beacon" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT/healthz" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  run healthz "http://127.0.0.1:$PORT/healthz"
  run beacon -s "$WORK/beacon.lua" "http://127.0.0.1:$PORT/rum/beacon"
done
curl -fs "http://127.0.0.1:$PORT/metrics" | grep '^rum_beacons_total'
