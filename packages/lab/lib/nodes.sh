# shellcheck shell=bash
# Nodes: their private "disks" (overlay upper dirs seeded with the node's configuration), their
# network (one netns per node on the lab's bridge), and their lifetime (one PID namespace each).

ssh_opts() {
  echo -F /dev/null -i "$LAB_KEY" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$LAB_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=3 -o LogLevel=ERROR
}

# Runs a command on node $1 as root, like `ssh host CMD...` (the remote shell parses CMD).
lab_ssh() {
  local index=$1
  shift
  # shellcheck disable=SC2046 # ssh_opts is a list of words without spaces
  ssh $(ssh_opts) "root@$(node_address "$index")" -- "$@"
}

# Creates $2/$3 with the owner and mode of /$3 on the host, so that an overlay's upper directory
# does not change the permissions the packages set up.
mkdir_like() {
  local upper=$1 rel=$2 path=""
  local part
  IFS=/ read -ra parts <<<"$rel"
  for part in "${parts[@]}"; do
    path=${path:+$path/}$part
    [[ -d $upper/$path ]] && continue
    mkdir "$upper/$path"
    if [[ -d /$path ]]; then
      chown --reference="/$path" "$upper/$path"
      chmod --reference="/$path" "$upper/$path"
    fi
  done
}

write_hosts_file() {
  local count=$1 i
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
  for ((i = 1; i <= count; i++)); do
    printf '%s %s\n' "$(node_address "$i")" "$(node_name "$i")"
  done
}

write_known_hosts() {
  local count=$1 i
  for ((i = 1; i <= count; i++)); do
    printf '%s,%s %s\n' "$(node_name "$i")" "$(node_address "$i")" \
      "$(cut -d' ' -f1,2 "$(node_dir "$i")/upper/etc/ssh/ssh_host_ed25519_key.pub")"
  done
}

# Host keys first: every node's known_hosts lists all of them.
generate_node_keys() {
  local index=$1 dir
  dir=$(node_dir "$index")
  mkdir -p "$dir/upper/etc"
  mkdir_like "$dir/upper/etc" ssh
  ssh-keygen -q -t ed25519 -N '' -C "$(node_name "$index")" -f "$dir/upper/etc/ssh/ssh_host_ed25519_key" </dev/null
}

seed_node() {
  local index=$1 count=$2 dir name address etc
  dir=$(node_dir "$index")
  name=$(node_name "$index")
  address=$(node_address "$index")
  etc=$dir/upper/etc
  mkdir -p "$dir/upper/"{etc,var-lib,var-log,var-cache} "$dir/work/"{etc,var-lib,var-log,var-cache}
  install -d -m 0700 "$dir/root" "$dir/root/.ssh"

  echo "$name" >"$etc/hostname"
  write_hosts_file "$count" >"$etc/hosts"
  cat >"$etc/ssh/sshd_config" <<CONF
ListenAddress $address
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile /root/.ssh/authorized_keys
Subsystem sftp internal-sftp
# The lab shares two cores with its tests: OpenSSH 9's default post-quantum key exchange costs
# each ssh client about 130 ms of CPU per connection, curve25519 about 10 ms. Corral's SSH
# library negotiates curve25519 with any node either way.
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
CONF

  # Every node uses the lab key, so root ssh between nodes by name (qemu+ssh live migration)
  # works without prompts.
  cp "$LAB_KEY" "$LAB_KEY.pub" "$dir/root/.ssh/"
  cp "$LAB_KEY.pub" "$dir/root/.ssh/authorized_keys"
  cp "$LAB_KNOWN_HOSTS" "$dir/root/.ssh/known_hosts"

  mkdir_like "$etc" corosync
  write_corosync_conf "$count" >"$etc/corosync/corosync.conf"
  install -m 0400 "$LAB_DIR/corosync-authkey" "$etc/corosync/authkey"

  mkdir_like "$etc" libvirt
  cat >"$etc/libvirt/libvirtd.conf" <<CONF
# Migration refuses to run between two hosts with the same UUID.
host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  cat >"$etc/libvirt/qemu.conf" <<'CONF'
# Nodes are namespaces, not machines: no cgroups, no SELinux/AppArmor, no per-guest namespaces.
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
CONF

  mkdir_like "$dir/upper/var-lib" pacemaker/cib
  write_seed_cib >"$dir/upper/var-lib/pacemaker/cib/cib.xml"
  chown hacluster:haclient "$dir/upper/var-lib/pacemaker/cib/cib.xml"
  chmod 0600 "$dir/upper/var-lib/pacemaker/cib/cib.xml"
  mkdir_like "$dir/upper/var-lib" libvirt/images
}

setup_bridge() {
  if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_HOST_ADDRESS/24" dev "$LAB_BRIDGE"
  fi
  ip link set "$LAB_BRIDGE" up
}

setup_node_network() {
  local index=$1 netns veth
  netns=$(node_netns "$index")
  veth=$(node_veth "$index")
  ip netns add "$netns"
  ip link add "$veth" type veth peer name eth0 netns "$netns"
  ip link set "$veth" master "$LAB_BRIDGE" up
  ip -n "$netns" addr add "$(node_address "$index")/24" dev eth0
  ip -n "$netns" link set eth0 up
  ip -n "$netns" link set lo up
}

# The host PID of node $1's init, if that process is alive and really is this node's init
# (PIDs are reused: never signal a PID only because a file names it).
node_init_pid() {
  local dir pid
  dir=$(node_dir "$1")
  [[ -f $dir/init.pid ]] || return 1
  pid=$(<"$dir/init.pid")
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "node-init.sh $(node_name "$1") $dir " || return 1
  echo "$pid"
}

# The process that is PID 1 of a new PID namespace below $1 (ip netns exec -> unshare -> init).
find_namespace_init() {
  local pid=$1 child
  for _ in 1 2 3; do
    grep -qE '^NSpid:\s+[0-9]+\s+1$' "/proc/$pid/status" 2>/dev/null && {
      echo "$pid"
      return 0
    }
    child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null) || return 1
    pid=${child%% *}
    [[ -n $pid ]] || return 1
  done
  return 1
}

# The node must not inherit the instance lock: it outlives this command.
start_node_process() {
  local index=$1 dir launcher init=""
  dir=$(node_dir "$index")
  # shellcheck disable=SC2154 # instance_lock is opened by lock_instance in bin/corral-lab
  setsid ip netns exec "$(node_netns "$index")" \
    unshare --mount --uts --ipc --pid --fork --mount-proc \
    bash "$LAB_DIR/node-init.sh" "$(node_name "$index")" "$dir" "$LAB_SHARED_HOST" "$LAB_SHARED_NODE" \
    </dev/null >>"$dir/console.log" 2>&1 {instance_lock}>&- &
  launcher=$!
  for _ in $(seq 100); do
    init=$(find_namespace_init "$launcher") && break
    sleep 0.02
  done
  [[ -n $init ]] || die "node$index did not start; see $dir/console.log"
  echo "$init" >"$dir/init.pid"
}

kill_node() {
  local index=$1 pid
  pid=$(node_init_pid "$index") || return 0
  kill -KILL "$pid"
  # The namespace is gone once its init has been reaped.
  for _ in $(seq 200); do
    [[ -e /proc/$pid ]] || break
    sleep 0.05
  done
  rm -f "$(node_dir "$index")/init.pid"
}

wait_for_ssh() {
  local index=$1
  for _ in $(seq 150); do
    lab_ssh "$index" true 2>/dev/null && return 0
    sleep 0.2
  done
  die "node$index does not answer ssh at $(node_address "$index"); see $(node_dir "$index")/console.log"
}
