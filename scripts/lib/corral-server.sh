# shellcheck shell=bash
# Start and stop a production Corral server (apps/web/server.js) in the background, by PID.
# The server runs in its own session (setsid), so its PID is also its process group.

corral_stop() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# corral_start DATA_DIR HOST PORT: migrate the database, start the server, wait until it answers.
corral_start() {
  local data_dir=$1 host=$2 port=$3
  # The database, secrets and log are Corral's user's alone (the server narrows them too).
  mkdir -p "$data_dir" && chmod 700 "$data_dir"
  : >"$data_dir/corral.log" && chmod 600 "$data_dir/corral.log"
  CORRAL_DATA_DIR=$data_dir pnpm --silent --filter @corral/db migrate >"$data_dir/migrate.log" 2>&1 \
    || { cat "$data_dir/migrate.log"; die "migrating the database failed"; }
  (
    cd "$REPO_ROOT/apps/web" || exit
    CORRAL_DATA_DIR=$data_dir CORRAL_BASE_URL=${CORRAL_BASE_URL:-http://$host:$port} \
      exec setsid node server.js -H "$host" -p "$port"
  ) >"$data_dir/corral.log" 2>&1 </dev/null &
  echo $! >"$data_dir/corral.pid"
  for _ in $(seq 120); do
    if curl -fsS "http://$host:$port/api/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$(cat "$data_dir/corral.pid")" 2>/dev/null || { tail -30 "$data_dir/corral.log"; die "Corral exited during start-up"; }
    sleep 0.5
  done
  tail -30 "$data_dir/corral.log"
  die "Corral did not answer on http://$host:$port within 60 s"
}
