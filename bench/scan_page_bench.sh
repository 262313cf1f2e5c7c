#!/usr/bin/env bash
# Scan-page throughput over loopback (issue 6): vntrace's resolver against nginx serving the same
# bytes as a static file, measured with wrk in the same run.
#
# What is measured: the consumer scan page of genuine, activated per-item stamps. The script loads
# the demo data, issues and activates STAMPS stamps for a lot of a demo product with a GTIN
# (`vntrace stamps issue --activate`), and wrk requests their Digital Link paths round-robin
# (/01/{GTIN}/10/{lot}/21/{serial}), as a crowd of consumers each scanning their own item would.
# Every request is the full work of a scan: resolve the Digital Link, look the stamp, its batch,
# the lot's recall and the product up, RECORD THE SCAN (one SQLite write), judge it against the
# code's earlier scans, and render the page with the journey from the events. The first pass over
# the codes gives "genuine", later passes "scanned before". nginx gets the same requests (same
# paths, headers and connection count) and answers every one with the bytes of one scan page of
# the same lot, saved from the server before the run, as a static file (access_log off, as many
# worker processes as the server has threads).
#
# Usage: bench/scan_page_bench.sh            (VNTRACE_BIN defaults to build/release/vntrace)
# Environment: VNTRACE_BIN, THREADS (server threads = nginx workers, default 2), DURATION (15s),
# CONNECTIONS (32), WRK_THREADS (2), STAMPS (10000).
# Installs wrk and nginx-light with apt when missing (benchmarks only; `make test` does not).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VNTRACE_BIN:-$ROOT/build/release/vntrace}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_THREADS="${WRK_THREADS:-2}"
STAMPS="${STAMPS:-10000}"

if [ ! -x "$BIN" ]; then
  echo "scan_page_bench: no vntrace binary at $BIN (build a Release one, or set VNTRACE_BIN)" >&2
  exit 2
fi

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "scan_page_bench: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

WORK="$(mktemp -d /tmp/vntrace-scan-bench-XXXXXX)"
SERVER_PID=""
NGINX_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
DB="$WORK/bench.db"

"$BIN" demo --db "$DB" --base-url "$BASE" >/dev/null
# A lot of a product with a GTIN (its stamps are GS1 Digital Links).
LOT="$(sqlite3 "$DB" "SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id
                       WHERE p.gtin <> '' ORDER BY l.created_at_ns, l.id LIMIT 1")"
if [ -z "$LOT" ]; then
  echo "scan_page_bench: the demo data has no lot of a GTIN product" >&2
  exit 1
fi
"$BIN" stamps issue --db "$DB" --base-url "$BASE" --lot "$LOT" --count "$STAMPS" --activate \
  | grep '^https://' | sed -E 's#^https?://[^/]+##' >"$WORK/paths.txt"
COUNT="$(wc -l <"$WORK/paths.txt")"

"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads "$THREADS" --base-url "$BASE" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$WORK/server.log" 2>/dev/null && break
  sleep 0.1
done
grep -q 'listening on' "$WORK/server.log" || { cat "$WORK/server.log" >&2; exit 1; }

# The bytes nginx serves: one scan page of the same lot (a stamp left out of the rotation).
mkdir -p "$WORK/www" "$WORK/nginx"
SAMPLE="$(tail -n 1 "$WORK/paths.txt")"
sed -i '$d' "$WORK/paths.txt"
curl -sf -H 'Accept: text/html' -H 'Accept-Language: vi' "$BASE$SAMPLE" -o "$WORK/www/scan.html"
PAGE_BYTES="$(wc -c <"$WORK/www/scan.html")"
# nginx started by root runs its workers as nobody: they must be able to read the page.
chmod a+rx "$WORK" "$WORK/www"
chmod a+r "$WORK/www/scan.html"

NGINX_PORT="$(free_port)"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { try_files /scan.html =404; }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>>"$WORK/nginx/error.log" &
NGINX_PID=$!
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$NGINX_PORT$SAMPLE" -o /dev/null && break
  sleep 0.1
done
cmp -s "$WORK/www/scan.html" <(curl -sf "http://127.0.0.1:$NGINX_PORT$SAMPLE") \
  || { echo "scan_page_bench: nginx does not serve the page" >&2; cat "$WORK/nginx/error.log" >&2; exit 1; }

# wrk: the stamp paths round-robin, each wrk thread from its own starting point.
cat >"$WORK/paths.lua" <<EOF
local paths = {}
for line in io.lines("$WORK/paths.txt") do paths[#paths + 1] = line end
local i = 0
wrk.headers["Accept"] = "text/html,application/xhtml+xml"
wrk.headers["Accept-Language"] = "vi-VN,vi;q=0.9"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) scan-bench"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 4999)
end
function init(args)
  i = (offset or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF

run_wrk() {  # name url → prints wrk's output to $WORK/<name>.txt
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" "$2" \
    >"$WORK/$1.txt" 2>&1
}
rate() { awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$WORK/$1.txt"; }
p50() { awk '$1 == "50%" {print $2}' "$WORK/$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/' "$WORK/$1.txt"; }

echo "scan page: $PAGE_BYTES bytes; $COUNT activated stamps of lot $LOT; server threads = nginx workers = $THREADS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency -s paths.lua <url>"
run_wrk vntrace "$BASE"
run_wrk nginx "http://127.0.0.1:$NGINX_PORT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
SCANS="$(sqlite3 "$DB" 'SELECT count(*) FROM scans')"

printf '%-8s %12s %10s %10s\n' "" "requests/s" "p50" "p99"
printf '%-8s %12s %10s %10s\n' vntrace "$(rate vntrace)" "$(p50 vntrace)" "$(p99 vntrace)"
printf '%-8s %12s %10s %10s\n' nginx "$(rate nginx)" "$(p50 nginx)" "$(p99 nginx)"
echo "ratio vntrace / nginx: $(awk -v a="$(rate vntrace)" -v b="$(rate nginx)" 'BEGIN {printf "%.3f", a / b}') (goal >= 0.5; p99 goal < 10 ms)"
echo "scans recorded by the server: $SCANS"
for name in vntrace nginx; do
  if [ -n "$(errors "$name")" ]; then echo "$name: $(errors "$name")"; fi
done
if [ -n "${KEEP_WRK_OUTPUT:-}" ]; then cat "$WORK/vntrace.txt" "$WORK/nginx.txt"; fi
