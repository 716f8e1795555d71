# shellcheck shell=bash
# The cluster's seed configuration and the checks that it formed.

write_corosync_conf() {
  local count=$1 i
  cat <<CONF
totem {
    version: 2
    cluster_name: $LAB_NAME
    transport: knet
    token: 3000
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
CONF
  for ((i = 1; i <= count; i++)); do
    cat <<CONF
    node {
        ring0_addr: $(node_address "$i")
        name: $(node_name "$i")
        nodeid: $i
    }
CONF
  done
  cat <<CONF
}

quorum {
    provider: corosync_votequorum
$( ((count == 2)) && echo '    two_node: 1')
}

logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_stderr: no
    to_syslog: no
    timestamp: on
}
CONF
}

# A CIB file written before pacemaker first starts (no .sig, so pacemaker accepts it as is).
# The lab has no fence devices, and the default dc-deadtime (20 s) would dominate start-up.
# resource-stickiness=1 in rsc_defaults is what `pcs cluster setup` writes on RHEL 9 (same ids):
# without it pacemaker rebalances, and moving one VM may move another.
write_seed_cib() {
  cat <<XML
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>
        <nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="$LAB_NAME"/>
      </cluster_property_set>
    </crm_config>
    <rsc_defaults>
      <meta_attributes id="build-resource-defaults">
        <nvpair id="build-resource-stickiness" name="resource-stickiness" value="1"/>
      </meta_attributes>
    </rsc_defaults>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
}

# crm_mon's XML as seen by node $1, or nothing if that node cannot answer.
crm_mon_xml() {
  lab_ssh "$1" crm_mon --one-shot --output-as=xml 2>/dev/null
}

# Names of the nodes node $1 sees online, one per line, or nothing without quorum.
online_nodes() {
  local xml
  xml=$(crm_mon_xml "$1") || return 0
  grep -q '<current_dc [^>]*with_quorum="true"' <<<"$xml" || return 0
  grep -oE '<node name="[^"]+"[^>]* online="true"' <<<"$xml" | sed -E 's/<node name="([^"]+)".*/\1/'
}

# Waits until node $1 sees every node in $2.. online in a quorate partition.
wait_for_online() {
  local viewer=$1
  shift
  local want=("$@") online missing
  for _ in $(seq 300); do
    online=$(online_nodes "$viewer")
    missing=0
    for name in "${want[@]}"; do
      grep -qx "$name" <<<"$online" || missing=1
    done
    ((missing)) || return 0
    sleep 0.2
  done
  die "timed out waiting for ${want[*]} to be online (as seen by $(node_name "$viewer"))"
}
