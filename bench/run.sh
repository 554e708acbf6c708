#!/usr/bin/env bash
# Benchmark of jobprofiles against nginx serving the same bytes. Prints every figure the
# README's Performance section records, each next to its target. Loopback only; every loop is
# bounded in time.
#
#   bench/run.sh                 10,000 synthetic roles in both languages, 5 s per load
#   N=2000 DURATION=3 bench/run.sh
#   N=50 DURATION=1 ROUNDS=1 bench/run.sh     a check that the script runs
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
# The machine may be shared: our server and nginx take turns this many times, and the figures
# are the medians of the rounds.
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
# Durable leads are measured again with the lead store on a throw-away PostgreSQL cluster
# (.ci/postgres.sh) when one can be started here: one instance on PG_APP_PORT, then a second on
# PG_APP_PORT2 beside it, the load split between the two.
PG_APP_PORT=${PG_APP_PORT:-18082}
PG_APP_PORT2=${PG_APP_PORT2:-18084}
export JOBPROFILES_CI_POSTGRES_PORT=${PG_PORT:-18083}
# Edits whose time until visible is measured; the median is printed.
EDITS=5
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx || ! need sqlite3 || [ ! -x /usr/bin/time ] || [ ! -f "$BROTLI_MODULE" ]; then
  echo "installing wrk, nginx (with brotli_static), sqlite3 and time from Debian…" >&2
  (apt-get update -qq && apt-get install -y -qq wrk nginx-light libnginx-mod-http-brotli-static sqlite3 time >/dev/null) >&2
fi

echo "building in release mode…" >&2
cargo build --release --quiet --bin jobprofiles --example synthetic_content --example post_load

work=$(mktemp -d)
server=""
nginx_pid=""
pg_servers=()
source .ci/postgres.sh
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  for pid in "${pg_servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
rss_mb() { echo $(( $(ps -o rss= -p "$server" | tr -d ' ') / 1024 )); }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

target/release/examples/synthetic_content "$N" content "$work/content" >&2

for port in "$PORT" "$NGINX_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is taken by another server: stop it or set PORT / NGINX_PORT" >&2
    exit 1
  fi
done

start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$work/import-peak-kb" \
  target/release/jobprofiles import --content "$work/content" --database "$work/bench.db" >/dev/null
import_ms=$(ms_since "$start")
import_peak_mb=$(( $(tail -n 1 "$work/import-peak-kb") / 1024 ))

start=$(date +%s%N)
# Two malloc arenas, as deploy/jobprofiles.service and the Containerfile run the site.
MALLOC_ARENA_MAX=2 RUST_LOG=warn JOBPROFILES_FORM_MIN_FILL_MS=0 JOBPROFILES_LEAD_RATE_LIMIT=100000000 JOBPROFILES_SEARCH_RATE_LIMIT=100000000 JOBPROFILES_WATCH_DEBOUNCE_MS=100 \
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
rss_start_mb=$(rss_mb)

# One changed file at a time: how long until the page shows the change.
file="$work/content/profiles/en/synthetic-role-42.md"
title="Synthetic Role 42"
for edit in $(seq 1 "$EDITS"); do
  changed="Synthetic Role 42 edit $edit"
  sed -i "s/^title = \"$title\"/title = \"$changed\"/" "$file"
  title=$changed
  start=$(date +%s%N)
  seen=""
  for _ in $(seq 1 3000); do
    if curl -fs "http://127.0.0.1:$PORT$page" | grep -q "$changed"; then seen=$(ms_since "$start"); break; fi
    sleep 0.01
  done
  echo "${seen:-30000}" >>"$work/edit-ms"
done
edit_ms=$(median <"$work/edit-ms")

# name url [wrk options…]: prints a line, keeps req/s, p99 and mean latency (ms) under $work;
# the arguments of a wrk script are in the array `script_args`.
script_args=()
load() {
  local name=$1 url=$2 out rps p50 p99 errors
  shift 2
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" ${script_args[@]+"${script_args[@]}"})
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print "   " $NF " answers not 2xx/3xx"}' <<<"$out")
  printf '  %-32s %10s req/s   p50 %-9s p99 %s%s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  echo "$rps" >>"$work/rps-$name"
  to_ms "$p99" >>"$work/p99-$name"
  to_ms "$(awk '/Latency/ && !done {print $2; done=1}' <<<"$out")" >>"$work/mean-$name"
}
to_ms() { # a wrk duration (812.00us, 1.50ms, 2.01s) in milliseconds
  awk -v d="$1" 'BEGIN { v = d + 0; if (d ~ /us$/) v /= 1000; else if (d ~ /ms$/) v *= 1; else if (d ~ /s$/) v *= 1000; printf "%.3f\n", v }'
}
figure() { median <"$work/$1-$2"; }

# nginx serves the very bytes of the profile page, plain and as our server compressed them.
mkdir -p "$work/nginx/html/profiles"
curl -fs "http://127.0.0.1:$PORT$page" >"$work/nginx/html$page"
curl -fs -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$page" >"$work/nginx/html$page.gz"
curl -fs -H 'Accept-Encoding: br' "http://127.0.0.1:$PORT$page" >"$work/nginx/html$page.br"
cat >"$work/nginx/nginx.conf" <<CONF
load_module $BROTLI_MODULE;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/html;
  gzip_static on;
  brotli_static on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/nginx/html;
  }
}
CONF
# nginx's workers run as another user when it is started as root: they must be able to read.
chmod a+x "$work"
chmod -R a+rX "$work/nginx"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5
for encoding in gzip br; do
  served=$(curl -s -D - -o /dev/null -H "Accept-Encoding: $encoding" "http://127.0.0.1:$NGINX_PORT$page" | tr -d '\r')
  if ! grep -qi "^content-encoding: $encoding" <<<"$served"; then
    echo "nginx does not serve the $encoding file:" >&2
    echo "$served" >&2
    exit 1
  fi
done

# Searches that are all different, and the same searches as bare FTS5 top-10 queries.
awk -v n=400000 'BEGIN {
  split("systems teams customers data services quality planning delivery security design platform reliable clear measured review release support budget roadmap users kubernetes python rust java cloud pipelines tests metrics workshops documentation", w, " ")
  c = 30
  for (i = 0; i < n; i++) {
    k = int(i / 2)
    if (i % 2 == 0) {
      a = w[k % c + 1]; b = w[int(k / c) % c + 1]; p = int(k / (c * c)) % 20 + 1
      printf "%s+%s\t%d\t\"%s\" \"%s\"*\t%d\n", a, b, p, a, b, (p - 1) * 10
    } else {
      a = w[k % c + 1]; num = int(k / c)
      printf "%s+%d\t1\t\"%s\" \"%d\"%s\t0\n", a, num, a, num, (length(num "") >= 3 ? "*" : "")
    }
  }
}' >"$work/searches.tsv"
head -n 400 "$work/searches.tsv" |
  awk -F '\t' '{ printf "SELECT rowid FROM search_en WHERE search_en MATCH '\''%s'\'' ORDER BY rank LIMIT 10 OFFSET %d;\n", $3, $4 }' \
    >"$work/bare.sql"
sed 's/.*/SELECT 1;/' "$work/bare.sql" >"$work/nothing.sql"
bare_ms=""
if sqlite3 -readonly "$work/bench.db" <"$work/bare.sql" >/dev/null 2>"$work/bare.err"; then
  start=$(date +%s%N)
  sqlite3 -readonly "$work/bench.db" <"$work/bare.sql" >/dev/null
  with_queries=$(( $(date +%s%N) - start ))
  start=$(date +%s%N)
  sqlite3 -readonly "$work/bench.db" <"$work/nothing.sql" >/dev/null
  without=$(( $(date +%s%N) - start ))
  bare_ms=$(awk -v a="$with_queries" -v b="$without" 'BEGIN { printf "%.3f", (a - b) / 400 / 1000000 }')
else
  echo "the bare FTS5 query failed (has the search table changed?): $(cat "$work/bare.err")" >&2
fi

echo
echo "load runs, $CONNECTIONS connections, $DURATION s each:"
# As a browser names itself, so that every profile page request is counted as a view (wrk sends no User-Agent,
# and a request without one is not counted): the figures include the view counter.
browser=(-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')
for round in $(seq 1 "$ROUNDS"); do
  load "profile page" "http://127.0.0.1:$PORT$page" "${browser[@]}"
  load "nginx" "http://127.0.0.1:$NGINX_PORT$page" "${browser[@]}"
  load "profile page, br" "http://127.0.0.1:$PORT$page" -H 'Accept-Encoding: br' "${browser[@]}"
  load "nginx brotli_static" "http://127.0.0.1:$NGINX_PORT$page" -H 'Accept-Encoding: br' "${browser[@]}"
  load "profile page, gzip" "http://127.0.0.1:$PORT$page" -H 'Accept-Encoding: gzip' "${browser[@]}"
  load "nginx gzip_static" "http://127.0.0.1:$NGINX_PORT$page" -H 'Accept-Encoding: gzip' "${browser[@]}"
done
index_bytes=$(curl -fs -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/profiles")
load "profiles index" "http://127.0.0.1:$PORT/profiles"
load "search, repeated" "http://127.0.0.1:$PORT/search?q=developer"
CONNECTIONS_SAVED=$CONNECTIONS
CONNECTIONS=1
script_args=(-- "$work/searches.tsv" 0)
load "search, distinct, 1 connection" "http://127.0.0.1:$PORT" -t1 -s bench/search_distinct.lua
CONNECTIONS=$CONNECTIONS_SAVED
script_args=(-- "$work/searches.tsv" 100000)
load "search, distinct" "http://127.0.0.1:$PORT" -s bench/search_distinct.lua
script_args=()
posts=$(target/release/examples/post_load "http://127.0.0.1:$PORT" "$DURATION" "$CONNECTIONS")
leads=$(sed -n 's/.*leads_per_second=\([0-9]*\).*/\1/p' <<<"$posts")
stored=$(sed -n 's/.* stored=\([0-9]*\) failed=\([0-9]*\).*/\1 stored, \2 failed/p' <<<"$posts")
rss_after_mb=$(rss_mb)

pg_leads=""
pg_leads2=""
# An instance on the lead store in PostgreSQL with its own copy of the content file; instances
# share the secret key, as they must.
pg_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Returns 1, with the instance's log printed, when it is not ready within a minute.
serve_pg() {
  local port=$1
  # An online copy: the first server is still running and writing to its file.
  sqlite3 "$work/bench.db" ".backup '$work/bench-pg-$port.db'"
  RUST_LOG=warn JOBPROFILES_FORM_MIN_FILL_MS=0 JOBPROFILES_LEAD_RATE_LIMIT=100000000 JOBPROFILES_NO_WATCH=true \
    JOBPROFILES_SECRET_KEY="$pg_key" \
    target/release/jobprofiles serve --bind "127.0.0.1:$port" --content "$work/content" \
    --database "$work/bench-pg-$port.db" --leads-database "$JOBPROFILES_TEST_POSTGRES" \
    --base-url "http://127.0.0.1:$port" >"$work/server-pg-$port.log" 2>&1 &
  local pid=$!
  pg_servers+=("$pid")
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the instance on PostgreSQL (port $port) did not become ready; its log:" >&2
  cat "$work/server-pg-$port.log" >&2
  return 1
}
if start_postgres >&2; then
  if serve_pg "$PG_APP_PORT"; then
    posts=$(target/release/examples/post_load "http://127.0.0.1:$PG_APP_PORT" "$DURATION" "$CONNECTIONS")
    pg_leads=$(sed -n 's/.*leads_per_second=\([0-9]*\).*/\1/p' <<<"$posts")
    pg_stored=$(sed -n 's/.* stored=\([0-9]*\) failed=\([0-9]*\).*/\1 stored, \2 failed/p' <<<"$posts")
    if serve_pg "$PG_APP_PORT2"; then
      posts=$(target/release/examples/post_load "http://127.0.0.1:$PG_APP_PORT,http://127.0.0.1:$PG_APP_PORT2" \
        "$DURATION" "$CONNECTIONS")
      pg_leads2=$(sed -n 's/.*leads_per_second=\([0-9]*\).*/\1/p' <<<"$posts")
      pg_stored2=$(sed -n 's/.* stored=\([0-9]*\) failed=\([0-9]*\).*/\1 stored, \2 failed/p' <<<"$posts")
    fi
  fi
  for pid in "${pg_servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg_servers=()
  stop_postgres
else
  echo "no PostgreSQL could be started: durable leads on PostgreSQL are not measured" >&2
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
met() { awk "BEGIN { print (($1) ? \"met\" : \"MISSED\") }"; }

echo
echo "jobprofiles benchmark: $N synthetic roles in English and German ($(( N * 2 + 24 )) profiles), $(nproc) cores"
echo "figures are medians of $ROUNDS rounds where there are rounds; wrk on the same cores"
echo "-------------------------------------------------------------------------------------------------------------"
row() { printf '%-42s %-46s %-30s %s\n' "$1" "$2" "$3" "$4"; }
row "figure" "measured" "target" ""
row "check and import, fresh database" "$import_ms ms, peak $import_peak_mb MB" "<= 2000 ms" "$(met "$import_ms <= 2000")"
row "start with unchanged content" "$startup_ms ms" "" ""
row "saved edit visible (median of $EDITS)" "$edit_ms ms ($(paste -sd ' ' "$work/edit-ms"))" "<= 250 ms" "$(met "$edit_ms <= 250")"
row "resident memory at start" "$rss_start_mb MB" "<= 150 MB" "$(met "$rss_start_mb <= 150")"
row "resident memory after the load runs" "$rss_after_mb MB" "<= 150 MB, steady" "$(met "$rss_after_mb <= 150")"
for kind in "" ", br" ", gzip"; do
  case "$kind" in
    "") peer="nginx" ;;
    ", br") peer="nginx brotli_static" ;;
    *) peer="nginx gzip_static" ;;
  esac
  ours_rps=$(figure rps "profile page$kind")
  peer_rps=$(figure rps "$peer")
  ours_p99=$(figure p99 "profile page$kind")
  peer_p99=$(figure p99 "$peer")
  row "profile page$kind" "$ours_rps req/s, p99 $ours_p99 ms" "p99 <= $peer's" "$(met "$ours_p99 <= $peer_p99")"
  row "  $peer, same bytes" "$peer_rps req/s, p99 $peer_p99 ms" "" ""
  row "  profile page$kind / $peer" "$(ratio "$ours_rps" "$peer_rps") x throughput" "" ""
done
row "profiles index, first page" "$(figure rps "profiles index") req/s, $(( index_bytes / 1024 )) KB" "<= 60 KB a page" "$(met "$index_bytes <= 61440")"
row "search, repeated query" "$(figure rps "search, repeated") req/s" ">= 2000 req/s" "$(met "$(figure rps "search, repeated") >= 2000")"
distinct_ms=$(figure mean "search, distinct, 1 connection")
if [ -n "$bare_ms" ]; then
  row "search, distinct queries, 1 connection" "mean $distinct_ms ms, $(ratio "$distinct_ms" "$bare_ms") x bare FTS5" "<= 1.5 x bare FTS5" "$(met "$distinct_ms <= 1.5 * $bare_ms")"
  row "  bare FTS5 top 10, same queries" "mean $bare_ms ms (sqlite3, 400 queries)" "" ""
else
  row "search, distinct queries, 1 connection" "mean $distinct_ms ms" "<= 1.5 x bare FTS5" "bare FTS5 not measured"
fi
row "search, distinct queries" "$(figure rps "search, distinct") req/s, p99 $(figure p99 "search, distinct") ms" "" ""
row "durable leads" "${leads:-?}/s ($stored)" ">= 3000/s" "$(met "${leads:-0} >= 3000")"
if [ -n "$pg_leads" ]; then
  row "durable leads, PostgreSQL, 1 instance" "$pg_leads/s ($pg_stored)" "" ""
  row "durable leads, PostgreSQL, 2 instances" "${pg_leads2:-?}/s (${pg_stored2:-})" ">= 2000/s" "$(met "${pg_leads2:-0} >= 2000")"
fi
