#!/bin/bash
# PID 1 of one lab node, started by `ip netns exec NETNS unshare --mount --uts --ipc --pid --fork
# --mount-proc`. It builds the node's private view of the host (overlays over /etc and /var, fresh
# /run, /tmp and /dev/shm, its own /root) and runs the daemons a cluster node runs. Killing this
# process from the host ends the PID namespace and everything in it: that is the power-loss model.
set -euo pipefail
node=$1 node_dir=$2 shared_dir=$3 shared_mount=$4

mount -t tmpfs -o mode=0755,size=64m tmpfs /run
mkdir -p /run/lab/node /run/lab/shared
# Lab state may live under /var/lib, which the overlay below covers: reach it through bind
# mounts made before that overlay exists.
mount --bind "$node_dir" /run/lab/node
mount --bind "$shared_dir" /run/lab/shared
for path in etc var/lib var/log var/cache; do
  layer=${path//\//-}
  mount -t overlay overlay \
    -o "lowerdir=/$path,upperdir=/run/lab/node/upper/$layer,workdir=/run/lab/node/work/$layer" "/$path"
done
mount --bind /run/lab/node/root /root
mount -t tmpfs -o mode=0755,size=1m tmpfs /srv
mkdir -p "$shared_mount"
mount --bind /run/lab/shared "$shared_mount"
mount -t tmpfs -o mode=1777,size=256m tmpfs /tmp
mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm
hostname "$node"
mkdir -p /run/sshd /run/lock

/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config 2>>/var/log/sshd.log &
/usr/sbin/libvirtd 2>>/var/log/libvirt/libvirtd.stderr &
/usr/sbin/corosync -f &
for _ in $(seq 100); do
  corosync-cfgtool -s >/dev/null 2>&1 && break
  sleep 0.1
done
/usr/sbin/pacemakerd &

# As PID 1, reap every orphan until the host kills this namespace.
while :; do
  wait || true
  sleep 1
done
