# shellcheck shell=bash
# Guest assets: Debian's kernel (downloaded, not installed) and a busybox initramfs. Cached by
# kernel version and by the hash of the guest init, shared by every lab instance.

guest_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# Prints the directory holding vmlinuz and initrd.img.
ensure_guest_assets() {
  local init_script=$LAB_LIB/guest-init.sh pkg key dir tmp
  pkg=$(guest_kernel_package)
  if [[ -z $pkg ]]; then
    apt-get update -qq || die "apt-get update failed"
    pkg=$(guest_kernel_package)
  fi
  [[ -n $pkg ]] || die "cannot find the Debian kernel package behind linux-image-amd64"
  key=$pkg-$(sha256sum "$init_script" /usr/bin/busybox | sha256sum | cut -c1-12)
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
    cp "$tmp"/kernel/boot/vmlinuz-* "$tmp/out/vmlinuz"
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
