#!/usr/bin/env bash
# Checks what deploy/ and the Containerfile ship, with the release binary CI already built for the
# browser tests (BIN= to use another):
#  1. jobprofiles.service: `systemd-analyze verify` (any complaint fails) and its offline security
#     score; every JOBPROFILES_ variable it or the Containerfile sets is one the binary knows.
#  2. nginx.conf: `nginx -t`, then the site configured as the unit configures it, behind that nginx
#     with a throw-away self-signed certificate: pages answer through TLS, plain HTTP is redirected,
#     and the site counts visitors by the address nginx forwards (its search rate limit, set to 1).
#  3. The Containerfile: deploy/image.sh builds the image; its user, volume and health check are
#     inspected, its files listed (the binary, its libraries, content, static, nothing else), and its
#     filesystem serves the site under chroot as the image's user, health check command included
#     (`podman run` is refused in these machines; chroot needs root).
# Installs systemd, nginx-light, openssl and podman from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-target/release/jobprofiles}
if [ ! -x "$bin" ]; then
  echo "deploy/check.sh: no binary at $bin (cargo build --release, or BIN=...)" >&2
  exit 1
fi
bin=$(realpath "$bin")

need() { # command, Debian package
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "installing $2 from Debian…" >&2
    (apt-get update -qq && apt-get install -y -qq "$2" >/dev/null) >&2
  fi
}
need systemd-analyze systemd
need nginx nginx-light
need openssl openssl
need podman podman

fail() {
  echo "deploy/check.sh: $*" >&2
  exit 1
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_healthy() { # url, extra curl arguments
  for _ in $(seq 1 300); do
    curl -fs "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

work=$(mktemp -d)
pids=()
tag="localhost/jobprofiles-check:$$"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  podman image rm --force "$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. the systemd unit ---------------------------------------------------------------------
# verify wants the ExecStart binary to exist: the release binary stands in for /opt/jobprofiles/current.
mkdir -p "$work/unit/current"
ln -s "$bin" "$work/unit/current/jobprofiles"
sed "s#/opt/jobprofiles/current#$work/unit/current#g" deploy/jobprofiles.service >"$work/unit/jobprofiles.service"
# verify exits 0 on unknown keys and unparsable values and only prints them: any output fails.
verify=$(systemd-analyze verify "$work/unit/jobprofiles.service" 2>&1) || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify: $verify"
# The exposure score on systemd's 0-100 scale (shown as 0.0-10.0): 20 is "OK"; the unit scores 15.
systemd-analyze security --offline=yes --threshold=20 "$work/unit/jobprofiles.service" >"$work/security.txt" 2>&1 ||
  fail "the unit's exposure is above 2.0: $(tail -n 1 "$work/security.txt")"

known=$("$bin" --help | grep -o 'JOBPROFILES_[A-Z0-9_]*' | sort -u)
for variable in $(grep -ho 'JOBPROFILES_[A-Z0-9_]*' deploy/jobprofiles.service Containerfile | sort -u); do
  grep -qx "$variable" <<<"$known" || fail "$variable is set in deploy/ or the Containerfile but is no setting of $bin"
done
echo "unit: systemd-analyze verify clean, $(tail -n 1 "$work/security.txt" | sed 's/→ //')" >&2

# --- 2. nginx in front of the site -----------------------------------------------------------
site_port=$(free_port)
tls_port=$(free_port)
http_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=jobs.example.com \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
# The shipped file with this machine's ports and certificate; IPv6 listeners dropped (CI may have no
# IPv6). Each replaced line must exist, so a changed nginx.conf cannot slip past the check.
for pattern in 'server 127.0.0.1:8080;' 'listen 80;' 'listen 443 ssl http2;' \
  '/etc/letsencrypt/live/jobs.example.com/fullchain.pem' '/etc/letsencrypt/live/jobs.example.com/privkey.pem'; do
  grep -qF "$pattern" deploy/nginx.conf || fail "deploy/nginx.conf no longer has \`$pattern\`: update deploy/check.sh"
done
sed -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$site_port;#" \
  -e "s#listen 80;#listen $http_port;#" \
  -e "s#listen 443 ssl http2;#listen $tls_port ssl http2;#" \
  -e '/listen \[::\]/d' \
  -e "s#/etc/letsencrypt/live/jobs.example.com/fullchain.pem#$work/cert.pem#" \
  -e "s#/etc/letsencrypt/live/jobs.example.com/privkey.pem#$work/key.pem#" \
  deploy/nginx.conf >"$work/site.conf"
mkdir -p "$work/nginx"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root root;"
cat >"$work/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events {}
http {
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/site.conf;
}
EOF
nginx_test=$(nginx -t -p "$work/nginx" -c "$work/nginx.conf" 2>&1) || fail "nginx -t: $nginx_test"
if grep -q '\[warn\]\|\[emerg\]' <<<"$nginx_test"; then fail "nginx -t: $nginx_test"; fi

# The site as the unit configures it (its Environment= lines), with the base URL the environment
# file would give, on this machine's paths and ports; a search rate limit of 1 makes the client
# address visible from outside.
(
  while IFS= read -r line; do export "${line#Environment=}"; done < <(grep '^Environment=' deploy/jobprofiles.service)
  export JOBPROFILES_BASE_URL=https://jobs.example.com \
    JOBPROFILES_BIND="127.0.0.1:$site_port" JOBPROFILES_METRICS_BIND="127.0.0.1:$(free_port)" \
    JOBPROFILES_DATABASE="$work/site.db" JOBPROFILES_CONTENT=content JOBPROFILES_STATIC_DIR=static JOBPROFILES_FONTS_DIR=fonts \
    JOBPROFILES_NO_WATCH=true JOBPROFILES_SEARCH_RATE_LIMIT=1 JOBPROFILES_SEARCH_RATE_WINDOW_SECS=600
  exec "$bin" serve
) >"$work/site.log" 2>&1 &
pids+=($!)
wait_healthy "http://127.0.0.1:$site_port/healthz" || fail "the site did not start: $(tail -n 20 "$work/site.log")"
nginx -p "$work/nginx" -c "$work/nginx.conf" &
pids+=($!)
wait_healthy "https://127.0.0.1:$tls_port/healthz" -k || fail "nginx did not start: $(cat "$work/nginx/error.log")"

status() { # visitor's address, path, extra curl arguments
  local address=$1 path=$2
  shift 2
  curl -sk -o /dev/null -w '%{http_code}' --interface "$address" "$@" "https://127.0.0.1:$tls_port$path"
}
expect() { # what, wanted, got
  [ "$2" = "$3" ] || fail "$1: wanted $2, got $3 (site log: $(tail -n 5 "$work/site.log"))"
}
expect "a profile through nginx" 200 "$(status 127.0.0.2 /profiles/backend-developer)"
expect "the German home through nginx" 200 "$(status 127.0.0.2 /de)"
hsts=$(curl -sk -D - -o /dev/null "https://127.0.0.1:$tls_port/" | tr -d '\r' | grep -ci '^strict-transport-security:' || true)
expect "Strict-Transport-Security headers through nginx (the site's own, once)" 1 "$hsts"
expect "plain HTTP" 301 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/profiles")"
# Visitors from 127.0.0.2 and 127.0.0.3 (curl --interface picks the source address); nginx reaches
# the site from 127.0.0.1, the trusted proxy. Were the site counting nginx's address, the third
# search would be refused too; were it believing the visitor's header, the second would pass.
expect "127.0.0.2's first search" 200 "$(status 127.0.0.2 '/search?q=developer')"
expect "127.0.0.2's second search, claiming another address" 429 \
  "$(status 127.0.0.2 '/search?q=developer' -H 'X-Forwarded-For: 203.0.113.9')"
expect "127.0.0.3's first search" 200 "$(status 127.0.0.3 '/search?q=developer')"
if grep -q 'X-Forwarded-For from a peer that is not a trusted proxy' "$work/site.log"; then
  fail "the site ignored nginx's X-Forwarded-For: $(grep 'X-Forwarded-For' "$work/site.log")"
fi
for pid in "${pids[@]}"; do kill "$pid"; done
wait 2>/dev/null || true
pids=()
echo "nginx: nginx -t clean; through TLS: pages 200, HTTP 301, the site counts the forwarded client address" >&2

# --- 3. the container image ------------------------------------------------------------------
BIN="$bin" bash deploy/image.sh "$tag"
inspect() { podman image inspect "$tag" --format "$1"; }
user=$(inspect '{{.Config.User}}')
[[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || fail "the image's USER is \`$user\`, not a numeric non-root id"
expect "the image's volumes" '{"/data":{}}' "$(inspect '{{json .Config.Volumes}}')"
healthcheck=$(inspect '{{json .Config.Healthcheck.Test}}')
[[ "$healthcheck" == '["CMD","/usr/local/bin/jobprofiles","healthcheck"'* ]] ||
  fail "the image's health check is $healthcheck, not the binary's healthcheck command"

mkdir -p "$work/image" "$work/root"
podman image save --quiet --format docker-archive --output "$work/image.tar" "$tag"
tar -xf "$work/image.tar" -C "$work/image"
python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/image/manifest.json" |
  while read -r layer; do tar -xf "$work/image/$layer" -C "$work/root"; done

cmp -s "$bin" "$work/root/usr/local/bin/jobprofiles" || fail "the image's binary is not $bin"
expected="/usr/local/bin/jobprofiles"
for library in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  cmp -s "$library" "$work/root$library" || fail "the image lacks $library as this machine has it"
  expected+=$'\n'"$library"
done
diff -r content "$work/root/srv/jobprofiles/content" >/dev/null || fail "the image's content differs from content/"
diff -r static "$work/root/srv/jobprofiles/static" >/dev/null || fail "the image's static files differ from static/"
diff -r fonts "$work/root/srv/jobprofiles/fonts" >/dev/null || fail "the image's fonts differ from fonts/"
others=$(cd "$work/root" && find . \( -path ./srv/jobprofiles/content -o -path ./srv/jobprofiles/static \
  -o -path ./srv/jobprofiles/fonts \) -prune \
  -o ! -type d -printf '/%P\n' | sort)
[ "$others" = "$(sort <<<"$expected")" ] || fail "the image holds other files than the binary and its libraries:
$(diff <(sort <<<"$expected") <(echo "$others") || true)"
for directory in /tmp /data; do [ -d "$work/root$directory" ] || fail "the image has no $directory"; done
[ "$(stat -c %u "$work/root/data")" = "${user%%:*}" ] || fail "/data does not belong to the image's user"
size=$(du -sm "$work/root" | cut -f1)

if [ "$(id -u)" = 0 ]; then
  # What a container runtime would do: the image's Env, User, Entrypoint and Cmd, in its files.
  image_port=$(free_port)
  mapfile -t environment < <(inspect '{{range .Config.Env}}{{println .}}{{end}}' | grep .)
  environment+=("JOBPROFILES_BIND=0.0.0.0:$image_port")
  mapfile -t command < <(inspect '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}' | grep .)
  mapfile -t probe < <(inspect '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' | grep . | tail -n +2)
  in_image() { env -i "${environment[@]}" chroot --userspec="$user" "$work/root" "$@"; }
  # Not through in_image: env and chroot each exec the next, so $! is the site's own process.
  env -i "${environment[@]}" chroot --userspec="$user" "$work/root" "${command[@]}" >"$work/image.log" 2>&1 &
  pids+=($!)
  wait_healthy "http://127.0.0.1:$image_port/healthz" || fail "the image's files do not serve: $(tail -n 20 "$work/image.log")"
  in_image "${probe[@]}" || fail "the image's health check fails against its running site"
  expect "a profile from the image's files" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$image_port/profiles/backend-developer")"
  [ -s "$work/root/data/jobprofiles.db" ] || fail "the site in the image did not write its database to /data"
  kill "${pids[0]}"
  wait "${pids[0]}" || fail "the site in the image did not stop cleanly on SIGTERM"
  pids=()
  if in_image "${probe[@]}" 2>/dev/null; then fail "the image's health check passes with no site running"; fi
  ran="; under chroot as $user it serves, writes /data and passes its health check"
else
  ran="; not root, so its files were not run under chroot"
fi
libraries=$(($(wc -l <<<"$expected") - 1))
echo "image: user $user, volume /data, health check; the binary, $libraries libraries, content, static: ${size} MB$ran" >&2
