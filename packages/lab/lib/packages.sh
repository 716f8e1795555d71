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

ensure_packages() {
  local -a missing missing_nr
  mapfile -t missing < <(missing_packages "${LAB_PACKAGES[@]}")
  mapfile -t missing_nr < <(missing_packages "${LAB_PACKAGES_NO_RECOMMENDS[@]}")
  ((${#missing[@]} + ${#missing_nr[@]})) || return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]} ${missing_nr[*]}) and no apt-get to install them"
  log "installing ${missing[*]} ${missing_nr[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  if ((${#missing[@]})); then
    apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  if ((${#missing_nr[@]})); then
    apt-get install -y -qq --no-install-recommends "${missing_nr[@]}" >/dev/null ||
      die "apt-get install ${missing_nr[*]} failed"
  fi
}
