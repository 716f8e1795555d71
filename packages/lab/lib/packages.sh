# shellcheck shell=bash
# Debian packages the lab runs on. Installed only when missing, so `up` on a prepared machine
# costs one dpkg-query.

LAB_PACKAGES=(
  pacemaker pacemaker-cli-utils corosync pcs resource-agents
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
  openssh-server openssh-client iproute2 busybox-static jq xz-utils fence-agents
)
# Creates the libvirt-qemu user; without it libvirtd's QEMU driver fails to start. Its
# recommends would pull in services the lab does not use.
LAB_PACKAGES_NO_RECOMMENDS=(libvirt-daemon-system)

missing_packages() {
  local pkg status
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ $status == installed ]] || echo "$pkg"
  done
}

# Two lab instances may start at once on a fresh machine (the integration suites beside the e2e):
# one installs while the other waits on the lock, then finds nothing missing. apt itself waits
# for any other user of dpkg's lock (the project's bootstrap, an operator's apt-get).
ensure_packages() {
  local lock_fd
  mkdir -p "$LAB_CACHE"
  exec {lock_fd}>"$LAB_CACHE/.packages.lock"
  flock "$lock_fd"
  install_missing_packages
  exec {lock_fd}>&-
}

install_missing_packages() {
  local -a missing missing_nr apt=(apt-get -o DPkg::Lock::Timeout=600)
  mapfile -t missing < <(missing_packages "${LAB_PACKAGES[@]}")
  mapfile -t missing_nr < <(missing_packages "${LAB_PACKAGES_NO_RECOMMENDS[@]}")
  ((${#missing[@]} + ${#missing_nr[@]})) || return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]} ${missing_nr[*]}) and no apt-get to install them"
  log "installing ${missing[*]} ${missing_nr[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${apt[@]}" update -qq || die "apt-get update failed"
  if ((${#missing[@]})); then
    "${apt[@]}" install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  if ((${#missing_nr[@]})); then
    "${apt[@]}" install -y -qq --no-install-recommends "${missing_nr[@]}" >/dev/null ||
      die "apt-get install ${missing_nr[*]} failed"
  fi
}
