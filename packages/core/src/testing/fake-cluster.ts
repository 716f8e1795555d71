import { execFile } from "node:child_process";
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startTestSshd, type TestSshd } from "./test-sshd.ts";

/**
 * A Pacemaker cluster of any size on one machine, for benches and browser tests at scale: one
 * real sshd per node (startTestSshd) where Corral's real agent runs, with the cluster tools
 * answering from generated state. `crm_mon` and `cibadmin` are Pacemaker's own, reading a
 * generated CIB (configuration and status, every resource probed on every node) through
 * `CIB_file`, so crm_mon's cost is the real one; only `virsh`, `crm_node` and
 * `corosync-cmapctl` are shell scripts printing the generated answers, and the CIB header the
 * watch polls twice a second is a file (a live cib daemon answers that from memory).
 */
export interface FakeCluster {
  name: string;
  dir: string;
  nodes: FakeNode[];
  vms: FakeVm[];
  /** The CIB Pacemaker's tools read: time `CIB_file=<cib> crm_mon --output-as=xml` beside Corral. */
  cibPath: string;
  /** Stops or starts a VM as Pacemaker would: the CIB (status and target-role) and virsh. */
  setVmRunning(vm: string, node: string | null): Promise<void>;
  /** A status-only CIB change (num_updates), as a recurring monitor result makes one. */
  bumpStatus(): Promise<void>;
  stop(): Promise<void>;
}

export interface FakeNode {
  name: string;
  sshd: TestSshd;
}

export interface FakeVm {
  name: string;
  /** Where it runs; null: stopped. */
  node: string | null;
}

const INDENT = "  ";

export async function startFakeCluster(options: {
  dir: string;
  name?: string;
  nodes: number;
  vms: number;
  /** The first node's sshd port; the others follow. */
  firstPort: number;
}): Promise<FakeCluster> {
  const { dir } = options;
  const name = options.name ?? "scale";
  const nodeNames = Array.from({ length: options.nodes }, (_, i) => `node${i + 1}`);
  const width = String(options.vms).length;
  const vms: FakeVm[] = Array.from({ length: options.vms }, (_, i) => ({
    name: `vm${String(i + 1).padStart(width, "0")}`,
    node: nodeNames[i % nodeNames.length] ?? null,
  }));
  const bin = join(dir, "bin");
  await mkdir(join(dir, "configs"), { recursive: true });
  await mkdir(join(dir, "domains"), { recursive: true });
  await mkdir(bin, { recursive: true });
  for (const node of nodeNames) await mkdir(join(dir, "nodes", node, "agent"), { recursive: true });
  for (const [index, vm] of vms.entries()) {
    const xml = domainXml(vm.name, index);
    await writeFile(join(dir, "configs", `${vm.name}.xml`), xml);
    await writeFile(join(dir, "domains", `${vm.name}.xml`), xml);
    await writeFile(join(dir, "domains", `${vm.name}.info`), dominfo(vm.name, index));
  }
  await writeScripts(bin, name, nodeNames);
  // One root key for every node, as a real cluster's nodes usually share: adding the members
  // with the first node's credentials works as on a real cluster.
  const clientKeyPath = join(dir, "client_key");
  await promisify(execFile)("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKeyPath]);

  const cibPath = join(dir, "cib.xml");
  let epoch = 10;
  let numUpdates = 0;
  const writeState = async () => {
    const header = `<cib admin_epoch="0" epoch="${epoch}" num_updates="${numUpdates}" validate-with="pacemaker-3.9" crm_feature_set="3.16.2" have-quorum="1" dc-uuid="1"/>\n`;
    await replaceFile(cibPath, cibXml({ name, dir, nodes: nodeNames, vms, epoch, numUpdates }));
    await replaceFile(join(dir, "cib-header.xml"), header);
    for (const node of nodeNames) {
      await replaceFile(join(dir, "nodes", node, "running"), runningOn(vms, node));
    }
  };
  await writeState();

  const nodes: FakeNode[] = [];
  try {
    for (const [index, node] of nodeNames.entries()) {
      const sshd = await startTestSshd({
        port: options.firstPort + index,
        clientKeyPath,
        environment: {
          PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
          CIB_file: cibPath,
          CORRAL_FAKE_DIR: dir,
          CORRAL_FAKE_NODE: node,
        },
        // Each node keeps its own agent installation, as separate machines would.
        mounts: [[join(dir, "nodes", node, "agent"), "/var/lib/corral-agent"]],
      });
      nodes.push({ name: node, sshd });
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.sshd.stop()));
    throw error;
  }

  return {
    name,
    dir,
    nodes,
    vms,
    cibPath,
    async setVmRunning(vmName, node) {
      const vm = vms.find((candidate) => candidate.name === vmName);
      if (!vm) throw new Error(`no VM ${vmName}`);
      vm.node = node;
      epoch++;
      numUpdates = 0;
      await writeState();
    },
    async bumpStatus() {
      numUpdates++;
      await writeState();
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.sshd.stop()));
    },
  };
}

async function replaceFile(path: string, content: string): Promise<void> {
  await writeFile(`${path}.new`, content);
  await rename(`${path}.new`, path);
}

function runningOn(vms: FakeVm[], node: string): string {
  return vms
    .filter((vm) => vm.node === node)
    .map((vm) => `${vm.name}\n`)
    .join("");
}

function uuidOf(index: number): string {
  const hex = index.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

function domainXml(name: string, index: number): string {
  return `<domain type="kvm">
  <name>${name}</name>
  <uuid>${uuidOf(index)}</uuid>
  <memory unit="KiB">524288</memory>
  <currentMemory unit="KiB">524288</currentMemory>
  <vcpu placement="static">1</vcpu>
  <os><type arch="x86_64" machine="pc">hvm</type></os>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/srv/vms/${name}.qcow2"/>
      <target dev="vda" bus="virtio"/>
    </disk>
  </devices>
</domain>
`;
}

function dominfo(name: string, index: number): string {
  return `Id:             ${index + 1}
Name:           ${name}
UUID:           ${uuidOf(index)}
OS Type:        hvm
State:          running
CPU(s):         1
Max memory:     524288 KiB
Used memory:    524288 KiB
Persistent:     no
Autostart:      disable
Managed save:   no
`;
}

function cibXml(state: {
  name: string;
  dir: string;
  nodes: string[];
  vms: FakeVm[];
  epoch: number;
  numUpdates: number;
}): string {
  const { name, dir, nodes, vms } = state;
  const resources = vms
    .map(
      (
        vm,
      ) => `${INDENT}<primitive id="${vm.name}" class="ocf" provider="heartbeat" type="VirtualDomain">
        <instance_attributes id="${vm.name}-ia"><nvpair id="${vm.name}-ia-config" name="config" value="${dir}/configs/${vm.name}.xml"/><nvpair id="${vm.name}-ia-hv" name="hypervisor" value="qemu:///system"/></instance_attributes>
        <meta_attributes id="${vm.name}-meta"><nvpair id="${vm.name}-meta-allow-migrate" name="allow-migrate" value="true"/>${vm.node ? "" : `<nvpair id="${vm.name}-meta-target-role" name="target-role" value="Stopped"/>`}</meta_attributes>
        <operations><op id="${vm.name}-monitor-10s" name="monitor" interval="10s" timeout="30s"/></operations>
      </primitive>`,
    )
    .join("\n");
  const nodeStates = nodes
    .map((node, n) => {
      const ops = vms
        .map((vm, v) => {
          const running = vm.node === node;
          const op = running
            ? `<lrm_rsc_op id="${vm.name}_last_0" operation_key="${vm.name}_start_0" operation="start" crm-debug-origin="do_update_resource" crm_feature_set="3.16.2" transition-key="${v}:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;${v}:1:0:00000000-0000-0000-0000-000000000000" exit-reason="" on_node="${node}" call-id="${v + 10}" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="500" queue-time="0" op-digest="00000000000000000000000000000000"/><lrm_rsc_op id="${vm.name}_monitor_10000" operation_key="${vm.name}_monitor_10000" operation="monitor" crm-debug-origin="do_update_resource" crm_feature_set="3.16.2" transition-key="${v}:2:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;${v}:2:0:00000000-0000-0000-0000-000000000000" exit-reason="" on_node="${node}" call-id="${v + 11}" rc-code="0" op-status="0" interval="10000" last-rc-change="1700000000" exec-time="50" queue-time="0" op-digest="00000000000000000000000000000000"/>`
            : `<lrm_rsc_op id="${vm.name}_last_0" operation_key="${vm.name}_monitor_0" operation="monitor" crm-debug-origin="do_update_resource" crm_feature_set="3.16.2" transition-key="${v}:0:7:00000000-0000-0000-0000-000000000000" transition-magic="0:7;${v}:0:7:00000000-0000-0000-0000-000000000000" exit-reason="" on_node="${node}" call-id="${v + 5}" rc-code="7" op-status="0" interval="0" last-rc-change="1700000000" exec-time="40" queue-time="0" op-digest="00000000000000000000000000000000"/>`;
          return `${INDENT}${INDENT}<lrm_resource id="${vm.name}" type="VirtualDomain" class="ocf" provider="heartbeat">${op}</lrm_resource>`;
        })
        .join("\n");
      return `${INDENT}<node_state id="${n + 1}" uname="${node}" in_ccm="true" crmd="online" crm-debug-origin="do_state_transition" join="member" expected="member">
      <lrm id="${n + 1}"><lrm_resources>
${ops}
      </lrm_resources></lrm>
    </node_state>`;
    })
    .join("\n");
  return `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="${state.epoch}" num_updates="${state.numUpdates}" admin_epoch="0" cib-last-written="Thu Nov 14 10:00:00 2024" update-origin="node1" update-client="cibadmin" update-user="root" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-have-watchdog" name="have-watchdog" value="false"/>
        <nvpair id="cib-bootstrap-options-dc-version" name="dc-version" value="2.1.5-a3f44794f94"/>
        <nvpair id="cib-bootstrap-options-cluster-infrastructure" name="cluster-infrastructure" value="corosync"/>
        <nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="${name}"/>
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
${nodes.map((node, n) => `${INDENT}<node id="${n + 1}" uname="${node}"/>`).join("\n")}
    </nodes>
    <resources>
${resources}
    </resources>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc_defaults-options">
        <nvpair id="rsc_defaults-options-resource-stickiness" name="resource-stickiness" value="1"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status>
${nodeStates}
  </status>
</cib>
`;
}

/** The tools the agent and the monitor call, answering for the node named in the session. */
async function writeScripts(bin: string, cluster: string, nodes: string[]): Promise<void> {
  const scripts: Record<string, string> = {
    virsh: `#!/bin/bash
# virsh as the agent calls it (-c URI first), answering from the fake cluster's state.
node_dir="$CORRAL_FAKE_DIR/nodes/$CORRAL_FAKE_NODE"
# The live-migration probe (virsh --connect URI --quiet uri): every fake node reaches the others.
if [ "$1" = --connect ] && [ "$3 $4" = "--quiet uri" ]; then echo "$2"; exit 0; fi
[ "$1" = -c ] && shift 2
case "$1" in
  --version) echo 9.0.0 ;;
  list)
    if [ "$3" = --name ]; then cat "$node_dir/running"; echo; exit 0; fi
    printf ' Id   Name   State\\n-----------------------\\n'
    n=0; while read -r name; do n=$((n+1)); printf ' %s   %s   running\\n' "$n" "$name"; done < "$node_dir/running"
    echo ;;
  dominfo|dumpxml)
    what=$1; name=$3
    grep -qx "$name" "$node_dir/running" || { echo "error: failed to get domain '$name'" >&2; exit 1; }
    if [ "$what" = dominfo ]; then cat "$CORRAL_FAKE_DIR/domains/$name.info"; else cat "$CORRAL_FAKE_DIR/domains/$name.xml"; fi ;;
  *) echo "fake virsh: unsupported: $*" >&2; exit 1 ;;
esac
`,
    cibadmin: `#!/bin/bash
# The header the agent's watch polls comes from a file (a cib daemon answers it from memory);
# everything else is Pacemaker's own cibadmin on the generated CIB (CIB_file).
if [ "$*" = "--query --xpath /cib --no-children" ]; then exec cat "$CORRAL_FAKE_DIR/cib-header.xml"; fi
exec /usr/sbin/cibadmin "$@"
`,
    crm_node: `#!/bin/bash
case "$1" in
  -n) echo "$CORRAL_FAKE_NODE" ;;
  -q) echo 1 ;;
  -l) ${nodes.map((node, n) => `echo "${n + 1} ${node} member"`).join("; ")} ;;
  *) exit 1 ;;
esac
`,
    "corosync-cmapctl": `#!/bin/bash
echo "totem.cluster_name (str) = ${cluster}"
`,
  };
  for (const [name, content] of Object.entries(scripts)) {
    await writeFile(join(bin, name), content);
    await chmod(join(bin, name), 0o755);
  }
}
