# Sourced by .ci/run and bench/run.sh: `start_postgres` starts a throw-away PostgreSQL cluster on
# loopback (no systemd: initdb in a temporary folder, then pg_ctl) and exports
# JOBPROFILES_TEST_POSTGRES, the URL of a database whose user may create more (one per test);
# `stop_postgres` stops it and removes its folder. Callers run `trap stop_postgres EXIT`, so no
# server outlives a failed step. PostgreSQL comes from Debian when it is missing.

postgres_dir=""

postgres_bin() {
  find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# The server refuses to run as root: as root, its commands run as the `postgres` user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local port="${JOBPROFILES_CI_POSTGRES_PORT:-54329}" bin
  bin=$(postgres_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed and installing it needs root: apt-get install postgresql" >&2
      return 1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(postgres_bin)
  fi
  postgres_dir=$(mktemp -d)
  [ "$(id -u)" = 0 ] && chown postgres "$postgres_dir"
  as_postgres "$bin/initdb" -D "$postgres_dir/data" --auth=trust -U postgres >/dev/null
  as_postgres "$bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $postgres_dir -c fsync=on" start >/dev/null
  # pg_signal_backend: a test drops its database WITH (FORCE), ending whatever session is left on it.
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE jobprofiles LOGIN CREATEDB PASSWORD 'jobprofiles'" \
    -c "GRANT pg_signal_backend TO jobprofiles" \
    -c "CREATE DATABASE jobprofiles OWNER jobprofiles"
  export JOBPROFILES_TEST_POSTGRES="postgres://jobprofiles:jobprofiles@127.0.0.1:$port/jobprofiles"
}

stop_postgres() {
  if [ -n "$postgres_dir" ] && [ -d "$postgres_dir/data" ]; then
    as_postgres "$(postgres_bin)/pg_ctl" -D "$postgres_dir/data" -m fast -w stop >/dev/null || true
  fi
  if [ -n "$postgres_dir" ]; then
    rm -rf "$postgres_dir"
  fi
  postgres_dir=""
}
