# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are used by the other lib files
# Instance settings and derived names. Sourced by bin/corral-lab; every other lib file relies on
# the variables set here.

LAB_NAME=${CORRAL_LAB_NAME:-corral}
LAB_SUBNET=${CORRAL_LAB_SUBNET:-10.213.57.0/24}
LAB_DIR=${CORRAL_LAB_DIR:-/var/lib/corral-lab/$LAB_NAME}
# Guest assets depend only on the Debian packages, so every instance shares one cache.
LAB_CACHE=${CORRAL_LAB_CACHE:-/var/lib/corral-lab/cache}

# Interface names are limited to 15 characters: "<name>-br", "<name>-v5", netns "<name>-node5".
[[ $LAB_NAME =~ ^[a-z][a-z0-9]{0,9}$ ]] ||
  die "CORRAL_LAB_NAME must be 1-10 lowercase letters or digits, starting with a letter (got '$LAB_NAME')"
# shellcheck disable=SC2015 # die when either test fails is the intent
[[ $LAB_SUBNET =~ ^10\.([0-9]{1,3})\.([0-9]{1,3})\.0/24$ ]] &&
  ((BASH_REMATCH[1] <= 255 && BASH_REMATCH[2] <= 255)) ||
  die "CORRAL_LAB_SUBNET must be a /24 inside 10.0.0.0/8 written as 10.X.Y.0/24 (got '$LAB_SUBNET')"
[[ $LAB_DIR == /* && $LAB_DIR != *[[:space:]]* ]] ||
  die "CORRAL_LAB_DIR must be an absolute path without spaces (got '$LAB_DIR')"
case $LAB_DIR/ in
  /etc/* | /root/* | /var/lib/pacemaker/* | /var/lib/libvirt/* | /var/lib/corosync/* | /)
    die "CORRAL_LAB_DIR must not be inside the host's own configuration or cluster state ($LAB_DIR)"
    ;;
esac

LAB_NET_PREFIX=${LAB_SUBNET%.0/24}
LAB_HOST_ADDRESS=$LAB_NET_PREFIX.1
LAB_BRIDGE=$LAB_NAME-br
LAB_INFO=$LAB_DIR/lab.json
LAB_KEY=$LAB_DIR/ssh/id_ed25519
LAB_KNOWN_HOSTS=$LAB_DIR/ssh/known_hosts
LAB_SHARED_HOST=$LAB_DIR/shared
# Paths as the nodes see them. Kernel, initrd and shared disks must sit at one path on every
# node, as they would on NFS or a SAN.
LAB_SHARED_NODE=/srv/shared
LAB_LOCAL_IMAGES=/var/lib/libvirt/images

LAB_MIN_NODES=2
LAB_MAX_NODES=5

node_name() { echo "node$1"; }
node_address() { echo "$LAB_NET_PREFIX.$((10 + $1))"; }
node_netns() { echo "$LAB_NAME-node$1"; }
node_veth() { echo "$LAB_NAME-v$1"; }
node_dir() { echo "$LAB_DIR/nodes/node$1"; }
