# shellcheck shell=bash
# A throwaway PostgreSQL 15 for the repository tests: initdb + pg_ctl as the postgres user, on a
# loopback port (TCP only, no socket file), data in an ignored directory of the repo. Sourced
# by scripts/test.sh.
#   pg_throwaway_start DIR PORT   -> exports CORRAL_TEST_POSTGRES_URL
#   pg_throwaway_stop

PG_BIN=/usr/lib/postgresql/15/bin

pg_throwaway_start() {
  local dir=$1 port=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  # A checkout under a private (0700) home directory is out of the postgres user's reach.
  if ! runuser -u postgres -- test -w "$dir"; then
    rm -rf "$dir"
    dir=$(mktemp -d /tmp/corral-test-postgres.XXXXXX)
    chown postgres:postgres "$dir"
  fi
  PG_THROWAWAY_DIR=$dir
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; return 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $port -k '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log"; return 1; }
  export CORRAL_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

pg_throwaway_stop() {
  local dir=${PG_THROWAWAY_DIR:-}
  if [ -n "$dir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case $dir in /tmp/corral-test-postgres.*) rm -rf "$dir" ;; esac
}
