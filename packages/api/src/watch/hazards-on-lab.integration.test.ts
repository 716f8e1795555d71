import { startTestLab, type TestLab } from "@corral/core/testing";
import {
  type SmtpSink,
  startSmtpSink,
  startWebhookReceiver,
  type WebhookReceiver,
} from "@corral/lab/receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, notifySinks, registerNodes } from "../testing/notification-receivers.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";

// Each hazard made real on a lab (own instance "hazards"), by hand as an operator would cause
// it: the watch opens its finding, the rule sends exactly one webhook to a real HTTP receiver
// and one email to a real SMTP server; after the fix the finding resolves and one more of each
// says so. How long each took to appear is printed (the bench measures it properly).
const SECRET = "lab-hazards-hook-secret";

interface Hazard {
  kind: string;
  /** The finding's subject: the VM and the node it names. */
  vm: string | null;
  node: string | null;
  make: string;
  fix: string;
  on: string;
  /** Kinds the same change opens too (and its fix resolves): one more message each. */
  also?: string[];
}

describe("hazards made real on the lab", () => {
  let lab: TestLab;
  let test: TestServer;
  let hook: WebhookReceiver;
  let smtp: SmtpSink;
  let home = "node1";

  beforeAll(async () => {
    [lab, test, hook, smtp] = await Promise.all([
      startTestLab({ name: "hazards", subnet: "10.213.170.0/24" }),
      createTestServer("sqlite"),
      startWebhookReceiver(SECRET),
      startSmtpSink(),
    ]);
    await lab.reset();
    // web1 made a resource by hand, as an existing cluster has it (this is not onboarding).
    await lab.ssh("node1", "virsh dumpxml web1 > /srv/shared/web1.xml");
    for (const node of lab.nodes) {
      await lab.ssh(node.id, "mkdir -p /etc/pacemaker && cp /srv/shared/web1.xml /etc/pacemaker/");
    }
    await lab.ssh(
      "node1",
      "virsh undefine web1 >/dev/null; pcs resource create web1 ocf:heartbeat:VirtualDomain config=/etc/pacemaker/web1.xml hypervisor=qemu:///system migration_transport=ssh meta allow-migrate=true op monitor interval=10s --wait=120",
    );
    // Fencing as a production cluster has it: enabled, with a device for every node. The lab's
    // fence_dummy fences nothing for real; set to fail, its fencing fails when asked (a hazard
    // below) while its monitor passes, so no device change is needed to make that happen.
    await lab.ssh(
      "node1",
      "pcs stonith create lab-fence fence_dummy type=fail pcmk_host_list='node1 node2 node3' && pcs property set stonith-enabled=true && crm_resource --wait --timeout=60",
    );

    await notifySinks(
      await test.caller((await test.signedIn("admin")).headers),
      { hook, smtp, secret: SECRET },
      {
        name: "every hazard",
        kinds: [
          "config-missing",
          "stale-constraint",
          "maintenance-mode",
          "libvirtd-down",
          "autostart-on",
          "host-key-changed",
          "persistent-definition",
          "fencing-disabled",
          "fence-device-stopped",
          "fencing-failed",
        ],
      },
    );
    await registerNodes(
      test.server,
      { id: "lab", name: "hazards" },
      lab.nodes.map((node) => ({ ...node, name: node.id, privateKey: node.privateKey ?? "" })),
    );
    await eventually(
      "every node online and web1's config checked",
      async () => {
        const inventory = await test.server.clusterMonitor.inventory("lab");
        const web1 = inventory?.vms.find((vm) => vm.name === "web1");
        home = web1?.resource?.nodes[0] ?? home;
        return Boolean(
          // The fencer's own word on which device fences each node.
          inventory?.nodes.every(
            (node) => node.state === "online" && node.fencedBy?.join() === "lab-fence",
          ) &&
            web1?.resource?.role === "Started" &&
            web1.resource.configCheck?.identical,
        );
      },
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    await test?.dispose();
    await hook?.close();
    await smtp?.close();
    await lab?.reset();
    await lab?.down();
  }, 300_000);

  const open = async (kind: string) =>
    (await test.server.findings.list({ clusterId: "lab", state: "open", limit: 50 })).filter(
      (finding) => finding.kind === kind,
    );

  it("each hazard opens one finding with one webhook and one email, and resolves after the fix with one more of each", async () => {
    const elsewhere = home === "node2" ? "node3" : "node2";
    const hazards: Hazard[] = [
      {
        kind: "config-missing",
        vm: "web1",
        node: elsewhere,
        on: elsewhere,
        make: "mv /etc/pacemaker/web1.xml /root/web1.xml.saved",
        fix: "mv /root/web1.xml.saved /etc/pacemaker/web1.xml",
      },
      {
        kind: "autostart-on",
        vm: "web1",
        node: elsewhere,
        on: elsewhere,
        make: "virsh define /etc/pacemaker/web1.xml >/dev/null && virsh autostart web1",
        fix: "virsh autostart --disable web1 && virsh undefine web1",
        also: ["persistent-definition"],
      },
      {
        // Not autostarted, yet one `virsh start` there runs a second copy.
        kind: "persistent-definition",
        vm: "web1",
        node: null,
        on: elsewhere,
        make: "virsh define /etc/pacemaker/web1.xml >/dev/null",
        fix: "virsh undefine web1",
      },
      {
        kind: "stale-constraint",
        vm: "web1",
        node: elsewhere,
        on: "node1",
        make: `pcs resource ban web1 ${elsewhere}`,
        fix: "pcs resource clear web1",
      },
      {
        kind: "libvirtd-down",
        vm: null,
        node: elsewhere,
        on: elsewhere,
        make: "kill $(cat /run/libvirtd.pid)",
        fix: "libvirtd -d && for _ in $(seq 50); do virsh list >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1",
      },
      {
        // node1's known_hosts holds another key for that node: node1's live migrations there
        // fail as after a reinstall, or with a machine in the middle.
        kind: "host-key-changed",
        vm: null,
        node: elsewhere,
        on: "node1",
        make: `cp /root/.ssh/known_hosts /root/known_hosts.saved && ssh-keygen -q -t ed25519 -N '' -f /root/impostor && grep -v '^${elsewhere},' /root/known_hosts.saved > /root/.ssh/known_hosts && echo "${elsewhere} $(cut -d' ' -f1,2 /root/impostor.pub)" >> /root/.ssh/known_hosts`,
        fix: "mv /root/known_hosts.saved /root/.ssh/known_hosts && rm /root/impostor /root/impostor.pub",
      },
      {
        kind: "fencing-disabled",
        vm: null,
        node: null,
        on: "node1",
        make: "pcs property set stonith-enabled=false",
        fix: "pcs property set stonith-enabled=true",
      },
      {
        kind: "fence-device-stopped",
        vm: null,
        node: null,
        on: "node1",
        make: "pcs stonith disable lab-fence --wait=60",
        fix: "pcs stonith enable lab-fence --wait=60",
      },
      {
        // A fencing that fails changes no CIB: the monitor reads the fencer's history itself.
        kind: "fencing-failed",
        vm: null,
        node: elsewhere,
        on: "node1",
        make: `stonith_admin --reboot ${elsewhere} --tolerance 0 --timeout 5 || true`,
        fix: `stonith_admin --cleanup --history ${elsewhere}`,
      },
      {
        kind: "maintenance-mode",
        vm: null,
        node: null,
        on: "node1",
        make: "pcs property set maintenance-mode=true",
        fix: "pcs property set maintenance-mode=false",
      },
    ];
    const latencies: string[] = [];
    for (const hazard of hazards) {
      const sent = hook.received.length;
      const mailed = smtp.received.length;
      const made = Date.now();
      await lab.ssh(hazard.on, hazard.make);
      // A window for a busy shared machine, not a speed target: a path probe that could not
      // ask its source is tried again after 10, 30 and 70 s (the latencies are printed below).
      await eventually(
        `${hazard.kind} open`,
        async () => (await open(hazard.kind)).length > 0,
        180_000,
      ).catch(async (error: Error) => {
        // What the watch saw meanwhile says why: a node it lost, a probe left incomplete.
        const inventory = await test.server.clusterMonitor.inventory("lab");
        const nodes = inventory?.nodes.map((node) => `${node.name} ${node.state}`).join(", ");
        throw new Error(
          `${error.message}; nodes: ${nodes}; paths: ${JSON.stringify(inventory?.migrationPaths)}`,
        );
      });
      latencies.push(`${hazard.kind} ${Date.now() - made} ms`);
      const [finding] = await open(hazard.kind);
      expect(finding).toMatchObject({ vm: hazard.vm, node: hazard.node });
      expect(finding?.fix.length).toBeGreaterThan(0);
      const messages = 1 + (hazard.also?.length ?? 0);
      const of = (event: string) =>
        hook.received
          .slice(sent)
          .filter((message) => JSON.stringify(message.json).includes(`"kind":"${hazard.kind}"`))
          .filter((message) => (message.json as { event?: string }).event === event);
      await eventually(
        `${hazard.kind}'s webhook and email`,
        () =>
          hook.received.length === sent + messages && smtp.received.length === mailed + messages,
      );
      expect(of("finding.opened")).toHaveLength(1);
      expect(of("finding.opened")[0]?.signatureValid).toBe(true);

      await lab.ssh(hazard.on, hazard.fix);
      await eventually(
        `${hazard.kind} resolved`,
        async () => (await open(hazard.kind)).length === 0,
        180_000,
      );
      await eventually(
        `${hazard.kind}'s resolve webhook and email`,
        () =>
          hook.received.length === sent + 2 * messages &&
          smtp.received.length === mailed + 2 * messages,
      );
      expect(of("finding.resolved")).toHaveLength(1);
    }
    // No storm: nothing more arrives once every hazard is fixed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const expected = hazards.reduce((sum, hazard) => sum + 2 * (1 + (hazard.also?.length ?? 0)), 0);
    expect(hook.received).toHaveLength(expected);
    expect(smtp.received).toHaveLength(expected);
    console.log(`time from the change to the open finding: ${latencies.join(", ")}`);
  }, 600_000);
});
