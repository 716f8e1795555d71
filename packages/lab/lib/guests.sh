# shellcheck shell=bash
# The guests of the onboarding scenarios, all defined on node1:
#   web1   shut off, disk on shared storage (the good case)
#   db1    running (the wizard must stop it first)
#   app1   shut off, autostart on
#   local1 shut off, disk on node1's local storage only
LAB_GUESTS=(web1 db1 app1 local1)
GUEST_MEMORY_MIB=96
GUEST_DISK_SIZE=16M

guest_disk() {
  case $1 in
    local1) echo "$LAB_LOCAL_IMAGES/$1.img" ;;
    *) echo "$LAB_SHARED_NODE/images/$1.img" ;;
  esac
}
guest_storage() { [[ $1 == local1 ]] && echo local || echo shared; }
guest_state() { [[ $1 == db1 ]] && echo running || echo "shut off"; }
guest_autostart() { [[ $1 == app1 ]] && echo true || echo false; }
guest_serial_node() { echo "$LAB_SHARED_NODE/logs/$1.serial.log"; }
guest_serial_host() { echo "$LAB_SHARED_HOST/logs/$1.serial.log"; }

# The disk is read-only: libvirt 9.0 refuses to live-migrate a guest with a writable disk on any
# file system it does not know as shared (NFS, GFS2, GlusterFS, ...), and the lab's shared
# storage is a bind mount. The guest never writes it; it is there so storage checks are real.
# The serial log is appended to, so a migrated guest's lines continue in the same file.
guest_xml() {
  local name=$1
  cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>$GUEST_MEMORY_MIB</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LAB_SHARED_NODE/boot/vmlinux</kernel>
    <initrd>$LAB_SHARED_NODE/boot/initrd.img</initrd>
    <cmdline>console=ttyS0 quiet loglevel=1 corral.name=$name</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$(guest_disk "$name")'/>
      <target dev='vda' bus='virtio'/>
      <readonly/>
    </disk>
    <serial type='file'>
      <source path='$(guest_serial_node "$name")' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

# Fresh shared storage: boot files, shared disks, empty serial logs.
prepare_shared_storage() {
  local assets=$1 name
  # Running nodes bind-mount this directory: empty it, never replace it.
  mkdir -p "$LAB_SHARED_HOST"
  find "$LAB_SHARED_HOST" -mindepth 1 -delete
  mkdir -p "$LAB_SHARED_HOST"/{boot,images,logs}
  cp "$assets/vmlinux" "$assets/initrd.img" "$LAB_SHARED_HOST/boot/"
  for name in "${LAB_GUESTS[@]}"; do
    [[ $(guest_storage "$name") == shared ]] && truncate -s "$GUEST_DISK_SIZE" "$LAB_SHARED_HOST/images/$name.img"
    : >"$(guest_serial_host "$name")"
  done
}

# One ssh session defines every guest on node1.
define_guests_script() {
  local name
  echo 'set -e'
  for name in "${LAB_GUESTS[@]}"; do
    if [[ $(guest_storage "$name") == local ]]; then
      echo "rm -f $(guest_disk "$name") && truncate -s $GUEST_DISK_SIZE $(guest_disk "$name")"
    fi
    echo "virsh -q define /dev/stdin >/dev/null <<'XML'"
    guest_xml "$name"
    echo 'XML'
    [[ $(guest_state "$name") == running ]] && echo "virsh -q start $name >/dev/null"
    [[ $(guest_autostart "$name") == true ]] && echo "virsh -q autostart $name >/dev/null"
  done
  return 0
}

create_guests() {
  define_guests_script | lab_ssh 1 bash -s || die "defining the guests on node1 failed"
}

# Every domain on node $1 goes: running ones are destroyed, persistent ones undefined.
remove_node_domains() {
  # shellcheck disable=SC2016 # the loop runs in the node's shell
  lab_ssh "$1" 'for d in $(virsh list --name); do virsh -q destroy "$d" >/dev/null; done
    for d in $(virsh list --all --name); do virsh -q undefine "$d" >/dev/null; done'
}

# Drops every resource and constraint. In maintenance mode pacemaker leaves the guests alone, so
# they are destroyed directly instead of waiting for each orphan's stop; the cleanup then forgets
# their operation history, and nothing is left for pacemaker to act on when maintenance ends.
clear_cluster_resources() {
  local count=$1 i name
  lab_ssh 1 "crm_attribute --type crm_config --name maintenance-mode --update true &&
    cibadmin --replace --scope constraints --xml-text '<constraints/>' &&
    cibadmin --replace --scope resources --xml-text '<resources/>'" ||
    die "clearing the CIB's resources failed"
  for ((i = 1; i <= count; i++)); do remove_node_domains "$i"; done
  lab_ssh 1 "crm_resource --cleanup >/dev/null &&
    crm_attribute --type crm_config --name maintenance-mode --delete >/dev/null" ||
    die "leaving maintenance mode failed"
  for name in $(online_nodes 1); do
    lab_ssh 1 crm_attribute --node "$name" --name standby --delete >/dev/null 2>&1 || true
  done
}
