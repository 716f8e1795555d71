#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, typecheck, unit, then integration (real sshd,
# SQLite, a throwaway PostgreSQL 15, the lab) beside the Playwright e2e in Debian's Chromium
# against a production build on a fresh SQLite database. Prints "N passed, N failed"; exits
# non-zero on any failure. Ports and dirs can be moved with CORRAL_TEST_PG_PORT and
# CORRAL_E2E_PORT so a run does not collide with a running Corral.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$REPO_ROOT/scripts/lib/throwaway-postgres.sh"

export CI=${CI:-} FORCE_COLOR=0 NO_COLOR=1
RUN_DIR=$REPO_ROOT/.run/test
PG_DIR=$RUN_DIR/postgres
mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR"/*.log "$RUN_DIR"/integration.rc

# The e2e adds a lab cluster through the UI: its own lab instance, brought down at the end.
E2E_LAB_ENV=(CORRAL_LAB_NAME="${CORRAL_E2E_LAB_NAME:-e2e}"
  CORRAL_LAB_SUBNET="${CORRAL_E2E_LAB_SUBNET:-10.213.130.0/24}"
  CORRAL_LAB_DIR="${CORRAL_E2E_LAB_DIR:-/var/lib/corral-lab/e2e}")
e2e_lab_started=
integration_pid=
cleanup() {
  # The integration suites run in their own session: end all of it (vitest, its sshd, its labs'
  # commands), not only the shell that started it.
  if [ -n "$integration_pid" ]; then kill -TERM -- "-$integration_pid" 2>/dev/null || true; fi
  pg_throwaway_stop
  if [ -n "$e2e_lab_started" ]; then env "${E2E_LAB_ENV[@]}" pnpm --silent lab down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

failed_stages=()
# stage NAME COMMAND...: run one stage, keep its output for the summary, carry on after a failure.
stage() {
  local name=$1 log="$RUN_DIR/$1.log"
  shift
  say "$name"
  local started=$SECONDS
  if "$@" 2>&1 | tee "$log"; then
    say "$name: ok ($((SECONDS - started)) s)"
  else
    failed_stages+=("$name")
    say "$name: FAILED ($((SECONDS - started)) s)"
  fi
}

bootstrap
stage lint pnpm lint
# Two at a time: the machine has two cores and some suites (property tests) are CPU-bound.
stage unit pnpm exec turbo run typecheck test:unit --continue --concurrency=2 --output-logs=full

# The integration suites run beside the build and the e2e: their lab instances, subnets and
# ports are their own, and both stages mostly wait on their clusters, so side by side the suite
# takes about the longer of the two instead of their sum. Their output follows the e2e's.
pg_throwaway_start "$PG_DIR" "${CORRAL_TEST_PG_PORT:-55432}"
say "integration: started beside the build and the e2e (its output follows theirs)"
integration_started=$SECONDS
# shellcheck disable=SC2016 # $1 and $2 are the inner shell's arguments
setsid bash -c 'pnpm -r --workspace-concurrency=1 --no-bail --if-present run test:integration \
  >"$1" 2>&1; echo $? >"$2"' integration "$RUN_DIR/integration.log" "$RUN_DIR/integration.rc" &
integration_pid=$!

stage build pnpm exec turbo run build --filter=@corral/web --output-logs=errors-only
stage first-load-js node apps/web/scripts/check-first-load-js.mjs
e2e_lab_started=1
stage e2e-lab env "${E2E_LAB_ENV[@]}" pnpm lab up
stage e2e env "${E2E_LAB_ENV[@]}" pnpm --filter @corral/e2e run e2e

wait "$integration_pid" || true
integration_pid=
pg_throwaway_stop
say "integration"
cat "$RUN_DIR/integration.log"
if [ "$(cat "$RUN_DIR/integration.rc" 2>/dev/null)" = 0 ]; then
  say "integration: ok ($((SECONDS - integration_started)) s, beside the build and the e2e)"
else
  failed_stages+=(integration)
  say "integration: FAILED ($((SECONDS - integration_started)) s, beside the build and the e2e)"
fi

# Sum the runners' own counts: vitest's "Tests  3 failed | 40 passed (43)" lines (turbo and pnpm
# prefix them) and Playwright's "  12 passed (20.1s)" / "  1 failed" lines.
# A green run has no "failed" line: grep's exit 1 must not end the script (set -e, pipefail).
count() { { grep -oE "[0-9]+ $1" || true; } | awk '{ n += $1 } END { print n + 0 }'; }
summary=$( (grep -hE 'Tests +[0-9]' "$RUN_DIR/unit.log" "$RUN_DIR/integration.log" 2>/dev/null
  grep -hE '^ +[0-9]+ (passed|failed|flaky)' "$RUN_DIR/e2e.log" 2>/dev/null) || true)
passed=$(count passed <<<"$summary")
failed=$(count failed <<<"$summary")

if ((${#failed_stages[@]})); then
  echo "failed stages: ${failed_stages[*]}"
  ((failed > 0)) || failed=${#failed_stages[@]}
fi
echo "$passed passed, $failed failed"
((${#failed_stages[@]} == 0))
