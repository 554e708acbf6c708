#!/usr/bin/env bash
# Browser journeys, axe-core and the Nu HTML Checker against the release binary, on a free
# loopback port with a fresh database. Installs what it needs; exits non-zero on any failure.
# Screenshots (light and dark), the printed PDFs and the checked HTML land in e2e/artifacts/ (not
# committed).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium from Debian…" >&2
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) >&2
fi
if ! command -v java >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null) >&2
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) >&2
fi
(cd e2e && npm ci --no-audit --no-fund --silent)
cargo build --release --quiet --bin jobprofiles

work=$(mktemp -d)
server=""
dev_server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$dev_server" ] && kill "$dev_server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_healthy() {
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}

port=$(free_port)
export STAFF_EMAIL="e2e@quellwerk.example"
export STAFF_PASSWORD="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "$STAFF_PASSWORD" | target/release/jobprofiles admin add-user "$STAFF_EMAIL" --database "$work/e2e.db" >/dev/null

RUST_LOG=warn JOBPROFILES_FORM_MIN_FILL_MS=0 JOBPROFILES_LEAD_RATE_LIMIT=1000 JOBPROFILES_SEARCH_RATE_LIMIT=1000 \
  JOBPROFILES_VIEWS_FLUSH_MS=200 target/release/jobprofiles serve --no-watch \
  --bind "127.0.0.1:$port" --database "$work/e2e.db" --base-url "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
wait_healthy "$port"

# `serve --dev` on a copy of the content that the editor's journey changes while a page is open.
cp -r content "$work/content"
dev_port=$(free_port)
RUST_LOG=warn target/release/jobprofiles serve --dev --watch-debounce-ms 100 --bind "127.0.0.1:$dev_port" \
  --database "$work/dev.db" --content "$work/content" --base-url "http://127.0.0.1:$dev_port" >"$work/dev-server.log" 2>&1 &
dev_server=$!
wait_healthy "$dev_port"

rm -rf e2e/artifacts
DEV_BASE_URL="http://127.0.0.1:$dev_port" DEV_CONTENT="$work/content" BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 e2e/journeys.test.mjs
