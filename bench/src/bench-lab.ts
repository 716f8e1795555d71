import { type LabEnv, labNode, readLabInfo, runLab, runOnLabNode } from "@corral/lab";

/** A bench's own lab instance, up, and a way to run a command as root on a node by name. */
export async function benchLab(env: LabEnv) {
  await runLab(["up"], { env, timeoutMs: 600_000 });
  const lab = await readLabInfo(env);
  const on = (name: string, command: string) => runOnLabNode(lab, labNode(lab, name), command);
  return { lab, on };
}

/**
 * The lab's guests `vms` (shut off on node1) made VirtualDomain resources as an existing cluster
 * has them: each config dumped, copied to every node, the domain undefined, then `pcs resource
 * create` with allow-migrate and resource-stickiness 1, Started.
 */
export async function makeVirtualDomains(
  { lab, on }: Awaited<ReturnType<typeof benchLab>>,
  vms: readonly string[],
): Promise<void> {
  for (const vm of vms) {
    await on(
      "node1",
      `virsh dumpxml ${vm} > /srv/shared/${vm}.xml && virsh undefine ${vm} >/dev/null`,
    );
  }
  const copies = vms.map((vm) => `/srv/shared/${vm}.xml`).join(" ");
  for (const node of lab.nodes) {
    await on(node.name, `mkdir -p /etc/pacemaker && cp ${copies} /etc/pacemaker/`);
  }
  for (const vm of vms) {
    await on(
      "node1",
      `pcs resource create ${vm} ocf:heartbeat:VirtualDomain config=/etc/pacemaker/${vm}.xml hypervisor=qemu:///system migration_transport=ssh meta allow-migrate=true resource-stickiness=1 op monitor interval=10s --wait=120`,
    );
  }
}
