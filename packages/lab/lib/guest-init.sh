#!/bin/busybox sh
# shellcheck shell=dash
# PID 1 of every lab guest (busybox initramfs). It proves which boot the guest is in: each line
# on the serial console carries the kernel's boot id and a counter that only grows within one
# boot, so a live migration keeps both and a restart changes the boot id.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# `virsh shutdown` presses the ACPI power button; without these modules and a reader of the
# button's event device the guest would ignore it until the stop timeout destroys it.
insmod /lib/modules/evdev.ko
insmod /lib/modules/button.ko
for dev in /sys/class/input/event*; do
  case $(cat "$dev/device/name" 2>/dev/null) in
    *"Power Button"*)
      # One evdev event is 24 bytes; a shorter read returns EINVAL instead of blocking.
      (dd if="/dev/input/${dev##*/}" of=/dev/null bs=24 count=1 2>/dev/null && poweroff -f) &
      ;;
  esac
done

name=unknown
# shellcheck disable=SC2013 # the kernel command line is one line of words
for arg in $(cat /proc/cmdline); do
  case $arg in corral.name=*) name=${arg#corral.name=} ;; esac
done
boot_id=$(cat /proc/sys/kernel/random/boot_id)
# What a serial getty prints once userspace is up: the wizard's default "guest is up" pattern.
echo "$name login:" >/dev/ttyS0
n=0
while :; do
  echo "corral-guest name=$name boot=$boot_id n=$n" >/dev/ttyS0
  n=$((n + 1))
  sleep 1
done
