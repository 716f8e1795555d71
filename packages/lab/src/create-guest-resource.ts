import { AppError } from "@corral/core";
import type { LabInfo } from "./lab-info.ts";
import { labNode, runOnLabNode } from "./run-on-lab-node.ts";

/**
 * Makes a lab guest a VirtualDomain resource by hand, as the RHEL guide does, so tests and
 * benches start from a managed VM without Corral's onboarding: the domain XML in
 * /etc/pacemaker on every node (copied through the shared storage), the libvirt definition
 * removed, the resource created and waited for until Started. Expects a reset lab (the guest
 * defined where lab.json says, no resource of that name yet).
 */
export async function createGuestResource(
  info: LabInfo,
  guestName: string,
  { allowMigrate }: { allowMigrate: boolean },
): Promise<void> {
  const guest = info.guests.find((candidate) => candidate.name === guestName);
  if (!guest) throw new AppError("NOT_FOUND", `lab ${info.name} has no guest ${guestName}`);
  const home = labNode(info, guest.node);
  const shared = `${info.sharedStoragePath}/${guest.name}.xml`;
  await runOnLabNode(info, home, `virsh dumpxml ${guest.name} > ${shared}`);
  await Promise.all(
    info.nodes.map((node) =>
      runOnLabNode(
        info,
        node,
        `mkdir -p /etc/pacemaker && cp ${shared} /etc/pacemaker/${guest.name}.xml`,
      ),
    ),
  );
  await runOnLabNode(
    info,
    home,
    `virsh undefine ${guest.name} >/dev/null && pcs resource create ${guest.name} ocf:heartbeat:VirtualDomain config=/etc/pacemaker/${guest.name}.xml hypervisor=qemu:///system migration_transport=ssh meta allow-migrate=${allowMigrate} op monitor interval=10s --wait=120`,
    180_000,
  );
}
