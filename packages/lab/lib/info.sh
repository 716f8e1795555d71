# shellcheck shell=bash
# lab.json: what tests, benchmarks and Corral itself need to reach the lab.

write_lab_info() {
  local count=$1 i nodes="[]" guests="[]" pub name
  for ((i = 1; i <= count; i++)); do
    pub=$(node_dir "$i")/upper/etc/ssh/ssh_host_ed25519_key.pub
    nodes=$(jq -c --argjson index "$i" --arg name "$(node_name "$i")" \
      --arg address "$(node_address "$i")" --arg key "$LAB_KEY" --arg netns "$(node_netns "$i")" \
      --arg fingerprint "$(ssh-keygen -lf "$pub" | awk '{ print $2 }')" \
      --arg type "$(cut -d' ' -f1 "$pub")" \
      '. + [{ index: $index, name: $name, address: $address, sshPort: 22, user: "root",
              privateKeyPath: $key, hostKeyFingerprint: $fingerprint, hostKeyType: $type,
              netns: $netns }]' <<<"$nodes")
  done
  for name in "${LAB_GUESTS[@]}"; do
    guests=$(jq -c --arg name "$name" --arg disk "$(guest_disk "$name")" \
      --arg storage "$(guest_storage "$name")" --arg state "$(guest_state "$name")" \
      --argjson autostart "$(guest_autostart "$name")" \
      --arg serialLog "$(guest_serial_host "$name")" --arg serialLogOnNode "$(guest_serial_node "$name")" \
      --argjson memory "$GUEST_MEMORY_MIB" \
      '. + [{ name: $name, node: "node1", disk: $disk, storage: $storage, initialState: $state,
              autostart: $autostart, serialLog: $serialLog, serialLogOnNode: $serialLogOnNode,
              memoryMiB: $memory }]' <<<"$guests")
  done
  jq -n --arg name "$LAB_NAME" --arg subnet "$LAB_SUBNET" --arg bridge "$LAB_BRIDGE" \
    --arg host "$LAB_HOST_ADDRESS" --arg dir "$LAB_DIR" --arg knownHosts "$LAB_KNOWN_HOSTS" \
    --arg shared "$LAB_SHARED_NODE" --arg sharedHost "$LAB_SHARED_HOST" \
    --arg local "$LAB_LOCAL_IMAGES" --argjson nodes "$nodes" --argjson guests "$guests" \
    '{ name: $name, subnet: $subnet, bridge: $bridge, hostAddress: $host, labDir: $dir,
       knownHostsPath: $knownHosts, nodes: $nodes, sharedStoragePath: $shared,
       sharedStorageHostPath: $sharedHost, localStoragePath: $local, guests: $guests }' \
    >"$LAB_INFO.tmp"
  mv "$LAB_INFO.tmp" "$LAB_INFO"
}

print_connection() {
  local count=$1 i
  echo "Lab '$LAB_NAME' is up: $count nodes on $LAB_SUBNET (bridge $LAB_BRIDGE, host address $LAB_HOST_ADDRESS)"
  jq -r '.nodes[] | "  \(.name)  \(.user)@\(.address) port \(.sshPort)  host key \(.hostKeyFingerprint) (\(.hostKeyType))"' "$LAB_INFO"
  echo "Key: $LAB_KEY  known_hosts: $LAB_KNOWN_HOSTS"
  echo "Connect: ssh -i $LAB_KEY -o UserKnownHostsFile=$LAB_KNOWN_HOSTS root@$(node_address 1)   (or: pnpm lab ssh 1)"
  echo "Guests on node1: ${LAB_GUESTS[*]}; shared storage at $LAB_SHARED_NODE on every node ($LAB_SHARED_HOST on the host)"
  echo "Details: $LAB_INFO"
}
