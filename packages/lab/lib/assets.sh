# shellcheck shell=bash
# Guest assets: Debian's kernel (downloaded, not installed) and a busybox initramfs. Cached by
# kernel version and by the hash of the guest init and of this recipe, shared by every lab
# instance.

guest_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# Debian's vmlinuz is an xz-compressed kernel behind a decompressor. Under TCG that decompressor
# alone takes about 6 s of every boot; the ELF inside carries a PVH entry note, which QEMU boots
# directly, so a guest reaches userspace in about 4 s instead of 10 (and ignores the ACPI power
# button for that much less: `virsh shutdown` before the button driver loads is lost, and the
# agent's stop then waits for its whole timeout).
extract_vmlinux() {
  local vmlinuz=$1 out=$2 offset
  offset=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)
  [[ -n $offset ]] || die "$vmlinuz holds no xz stream: cannot extract the kernel"
  # xz stops at the end of its stream (tail's SIGPIPE after it is no failure).
  xz -dc --single-stream < <(tail -c +$((offset + 1)) "$vmlinuz") >"$out" ||
    die "cannot decompress the kernel in $vmlinuz"
  [[ $(head -c 4 "$out" | od -An -c | tr -d ' ') == '177ELF' ]] || die "$vmlinuz holds no ELF kernel"
}

# Prints the directory holding vmlinux and initrd.img.
ensure_guest_assets() {
  local init_script=$LAB_LIB/guest-init.sh pkg key dir tmp
  pkg=$(guest_kernel_package)
  if [[ -z $pkg ]]; then
    apt-get update -qq || die "apt-get update failed"
    pkg=$(guest_kernel_package)
  fi
  [[ -n $pkg ]] || die "cannot find the Debian kernel package behind linux-image-amd64"
  key=$pkg-$(sha256sum "$init_script" "${BASH_SOURCE[0]}" /usr/bin/busybox | sha256sum | cut -c1-12)
  dir=$LAB_CACHE/$key
  mkdir -p "$LAB_CACHE"
  # Two instances may start at once; the second waits for the first build.
  exec {lock_fd}>"$LAB_CACHE/.lock"
  flock "$lock_fd"
  if [[ ! -f $dir/initrd.img ]]; then
    log "building guest assets from $pkg"
    tmp=$(mktemp -d "$LAB_CACHE/.build.XXXXXX")
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg") || die "apt-get download $pkg failed"
    dpkg-deb -x "$tmp"/*.deb "$tmp/kernel"
    local modules
    modules=$tmp/kernel/lib/modules/$(ls "$tmp/kernel/lib/modules")/kernel/drivers
    local root=$tmp/initramfs
    mkdir -p "$root"/{bin,proc,sys,dev,lib/modules}
    cp /usr/bin/busybox "$root/bin/busybox"
    cp "$modules/input/evdev.ko" "$modules/acpi/button.ko" "$root/lib/modules/"
    install -m 0755 "$init_script" "$root/init"
    mkdir -p "$tmp/out"
    extract_vmlinux "$(echo "$tmp"/kernel/boot/vmlinuz-*)" "$tmp/out/vmlinux"
    (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$tmp/out/initrd.img"
    rm -rf "$dir"
    mv "$tmp/out" "$dir"
    rm -rf "$tmp"
    # Assets of an older kernel or guest init are no longer used by any new lab.
    find "$LAB_CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.build.*' -exec rm -rf {} +
  fi
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  echo "$dir"
}
