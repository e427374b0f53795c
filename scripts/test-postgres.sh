#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the hub store tests.
#
#   scripts/test-postgres.sh start   install (Debian package, when missing and run as root), initdb, start,
#                                    create the test database; does nothing that is already done
#   scripts/test-postgres.sh url     print the URL to put in FACTORDESK_TEST_PG_URL
#   scripts/test-postgres.sh stop    stop the cluster (its files stay, so the next start is fast)
#   scripts/test-postgres.sh purge   stop and delete the cluster's files
#
# Typical use: scripts/test-postgres.sh start && export FACTORDESK_TEST_PG_URL="$(scripts/test-postgres.sh url)"
#
# Settings (environment): FD_PG_DIR (data directory, default /tmp/fd-pg), FD_PG_PORT (default 55432),
# FD_PG_DB (default factordesk_test). The cluster trusts local connections and runs with fsync off:
# it holds test data only, never anything to keep.
set -euo pipefail

DATA_DIR="${FD_PG_DIR:-/tmp/fd-pg}"
PORT="${FD_PG_PORT:-55432}"
DB="${FD_PG_DB:-factordesk_test}"
SOCKET_DIR=/tmp
LOG_FILE="${DATA_DIR}.log"

url() {
  echo "postgres://postgres@127.0.0.1:${PORT}/${DB}"
}

# The newest installed server's bin directory, or nothing.
find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

install_server() {
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and this is not root: install the 'postgresql' package first." >&2
    exit 1
  fi
  echo "== installing PostgreSQL (Debian package)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# initdb and the server refuse to run as root: as root, run them as the postgres user.
as_db_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$DATA_DIR/PG_VERSION" ] && as_db_owner "$BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
  BIN="$(find_bin)"
  if [ -z "$BIN" ]; then
    install_server
    BIN="$(find_bin)"
  fi
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    mkdir -p "$DATA_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA_DIR"; fi
    chmod 700 "$DATA_DIR"
    as_db_owner "$BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --no-instructions >/dev/null
  fi
  if ! is_running; then
    touch "$LOG_FILE"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$LOG_FILE"; fi
    as_db_owner "$BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
      -o "-p $PORT -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  local exists
  exists="$("$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
  if [ "$exists" != 1 ]; then
    "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
  fi
  echo "PostgreSQL ready at $(url)" >&2
}

stop() {
  BIN="$(find_bin)"
  if [ -n "$BIN" ] && is_running; then
    as_db_owner "$BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  purge)
    stop
    rm -rf "$DATA_DIR" "$LOG_FILE"
    ;;
  *)
    echo "usage: $0 start|stop|url|purge" >&2
    exit 2
    ;;
esac
