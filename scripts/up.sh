#!/usr/bin/env bash
# Quick start: install what is missing, build, migrate and start Corral on
# http://127.0.0.1:3000 with the SQLite default, then start the lab cluster and register it.
# Idempotent: a second run rebuilds only what changed and restarts Corral by its PID.
# CORRAL_DATA_DIR, CORRAL_HOST and CORRAL_PORT move it; CORRAL_LAB=0 skips the lab.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$REPO_ROOT/scripts/lib/corral-server.sh"

bootstrap

export CORRAL_DATA_DIR=${CORRAL_DATA_DIR:-$REPO_ROOT/data}
HOST=${CORRAL_HOST:-127.0.0.1}
PORT=${CORRAL_PORT:-3000}

say "Building"
pnpm exec turbo run build --filter=@corral/web --output-logs=errors-only

say "Starting Corral (data in $CORRAL_DATA_DIR)"
corral_stop "$CORRAL_DATA_DIR/corral.pid"
corral_start "$CORRAL_DATA_DIR" "$HOST" "$PORT"

# CORRAL_LAB=0 starts Corral alone (for your own clusters).
if [ "${CORRAL_LAB:-1}" != 0 ] && [ -d "$REPO_ROOT/packages/lab" ]; then
  say "Starting the lab cluster"
  pnpm lab up
  # Same operation as "Add a cluster" in the UI, pinning the host keys the lab recorded;
  # nothing happens when the lab cluster is registered already.
  say "Registering the lab cluster in Corral"
  lab_dir=${CORRAL_LAB_DIR:-/var/lib/corral-lab/${CORRAL_LAB_NAME:-corral}}
  pnpm --silent --filter @corral/api register-lab "$lab_dir/lab.json"
fi

cat <<MSG

Corral is running: http://$HOST:$PORT
  log: $CORRAL_DATA_DIR/corral.log   pid: $(cat "$CORRAL_DATA_DIR/corral.pid")
Next: open the URL, create the first admin account, then add operators on the Users page.
Stop it with: kill -TERM -- -\$(cat $CORRAL_DATA_DIR/corral.pid)
MSG
