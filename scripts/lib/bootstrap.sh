# shellcheck shell=bash
# The bootstrap shared by scripts/up.sh and scripts/test.sh: everything a fresh Debian 12
# machine needs, installed only when missing, so a second run takes seconds.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
export BETTER_AUTH_TELEMETRY=0 DO_NOT_TRACK=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Debian packages: Chromium for the browser tests, sshd for the SSH tests, PostgreSQL 15 for the
# repository tests, sudo for the pool's non-root tests, the toolchain node-gyp needs for
# better-sqlite3, shellcheck and flake8 for `pnpm lint`.
DEBIAN_PACKAGES=(chromium openssh-server openssh-client sudo postgresql-15 python3 make g++ curl nginx-light openssl shellcheck flake8)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

bootstrap() {
  cd "$REPO_ROOT"
  command -v node >/dev/null || die "Node.js >= 20.9 is required (apt-get install nodejs, or nodesource)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=9)?0:1)' \
    || die "Node.js >= 20.9 is required; this is $(node --version)"

  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}): run as root or install them"
    say "Installing Debian packages: ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  if ! command -v pnpm >/dev/null || [ "$(pnpm --version | cut -d. -f1)" != 10 ]; then
    say "Installing pnpm 10"
    npm install -g --silent pnpm@10
  fi
  # node-gyp builds better-sqlite3 against the installed Node headers instead of downloading them.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
    export npm_config_nodedir=/usr
  fi

  say "Installing npm dependencies"
  pnpm install --frozen-lockfile
  say "Generating the Prisma clients"
  pnpm --silent --filter @corral/db generate >/dev/null
}
