#!/usr/bin/env bash
# Benchmark of jobprofiles against nginx serving the same bytes. Prints every figure the
# README's Performance section records. Loopback only; every loop is bounded in time.
#
#   bench/run.sh                 10,000 synthetic roles in both languages, 5 s per load
#   N=2000 DURATION=3 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
# The machine may be shared: the profile page and nginx take turns this many times, and the
# ratio is that of the medians.
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx; then
  echo "installing wrk and nginx from Debian…" >&2
  (apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null) >&2
fi

echo "building in release mode…" >&2
cargo build --release --quiet --bin jobprofiles --example synthetic_content --example post_load

work=$(mktemp -d)
server=""
nginx_pid=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

target/release/examples/synthetic_content "$N" content "$work/content" >&2

for port in "$PORT" "$NGINX_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is taken by another server: stop it or set PORT / NGINX_PORT" >&2
    exit 1
  fi
done

start=$(date +%s%N)
target/release/jobprofiles import --content "$work/content" --database "$work/bench.db" >/dev/null
import_ms=$(ms_since "$start")

RUST_LOG=warn JOBPROFILES_FORM_MIN_FILL_MS=0 JOBPROFILES_LEAD_RATE_LIMIT=100000000 JOBPROFILES_SEARCH_RATE_LIMIT=100000000 JOBPROFILES_WATCH_DEBOUNCE_MS=100 \
  target/release/jobprofiles serve --bind "127.0.0.1:$PORT" --content "$work/content" --database "$work/bench.db" \
  --base-url "http://127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
if ! kill -0 "$server" 2>/dev/null; then
  echo "the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
startup_ms=$(ms_since "$start")

page="/profiles/synthetic-role-42"
curl -fs "http://127.0.0.1:$PORT$page" >/dev/null
curl -fs "http://127.0.0.1:$PORT/profiles" >/dev/null
rss_kb=$(ps -o rss= -p "$server" | tr -d ' ')

# One changed file: how long until the page shows the change.
file="$work/content/profiles/en/synthetic-role-42.md"
sed -i 's/^title = "Synthetic Role 42"/title = "Synthetic Role 42 changed"/' "$file"
start=$(date +%s%N)
reload_ms="not seen within 30 s"
for _ in $(seq 1 3000); do
  if curl -fs "http://127.0.0.1:$PORT$page" | grep -q "Synthetic Role 42 changed"; then reload_ms=$(ms_since "$start"); break; fi
  sleep 0.01
done

load() { # name url
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-24s %12s req/s   p50 %-9s p99 %s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps" >"$work/rps-$1"
}

# nginx serves the very bytes of the profile page, from a config of our own.
mkdir -p "$work/nginx/html/profiles"
curl -fs "http://127.0.0.1:$PORT$page" >"$work/nginx/html$page"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/nginx/html;
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5

echo
echo "jobprofiles benchmark: $N synthetic roles in English and German ($(( N * 2 + 24 )) profiles), $(nproc) cores"
echo "-----------------------------------------------------------------------------------------------"
printf 'check and import          %8s ms (target < 5000)\n' "$import_ms"
printf 'start, ready to serve     %8s ms\n' "$startup_ms"
printf 'changed file visible      %8s ms (target < 1000)\n' "$reload_ms"
printf 'resident memory           %8s MB (target < 300)\n' "$(( rss_kb / 1024 ))"
echo
for round in $(seq 1 "$ROUNDS"); do
  load "profile page, round $round" "http://127.0.0.1:$PORT$page"
  load "nginx, round $round" "http://127.0.0.1:$NGINX_PORT$page"
done
median() { cat "$work"/rps-"$1"* | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
load "profiles index" "http://127.0.0.1:$PORT/profiles"
posts=$(target/release/examples/post_load "http://127.0.0.1:$PORT" "$DURATION" "$CONNECTIONS")
load "search" "http://127.0.0.1:$PORT/search?q=kubernetes+python"
ratio=$(awk -v a="$(median "profile page")" -v b="$(median "nginx")" 'BEGIN { printf "%.2f", a / b }')
echo
printf 'profile page, median     %12s req/s   nginx, same bytes, median %s req/s\n' "$(median "profile page")" "$(median "nginx")"
printf 'profile page / nginx      %8s x (target >= 0.90, medians of %s rounds)\n' "$ratio" "$ROUNDS"
printf 'form POST, durable leads  %s (target >= 500/s)\n' "$posts"
printf 'resident memory after     %8s MB\n' "$(( $(ps -o rss= -p "$server" | tr -d ' ') / 1024 ))"
