import type { Inventory } from "@corral/core";
import type { OpenFindingCount } from "@corral/db";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Where the numbers come from at each scrape: the live inventories and the findings store. */
interface MetricsSources {
  inventories(): Promise<Inventory[]>;
  openFindings(): Promise<OpenFindingCount[]>;
}

/** Long operations take seconds to many minutes (a live migration of a large VM). */
const OPERATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];

/**
 * What `/metrics` exposes (Prometheus text format, prom-client): per cluster, node and VM the
 * state the live inventory shows, the open findings by kind and severity, and the durations of
 * Corral's long operations. State gauges are filled from the sources at each scrape, never
 * kept between scrapes, so a removed cluster or VM disappears from the next one.
 */
export class CorralMetrics {
  readonly #registry = new Registry();
  readonly #sources: MetricsSources;
  readonly #operations: Histogram<"kind" | "result">;
  readonly #gauges: {
    clusterUp: Gauge<"cluster">;
    quorate: Gauge<"cluster">;
    maintenance: Gauge<"cluster">;
    fencing: Gauge<"cluster">;
    node: Gauge<"cluster" | "node" | "state">;
    vmManaged: Gauge<"cluster" | "vm">;
    vmRunning: Gauge<"cluster" | "vm">;
    vmRole: Gauge<"cluster" | "vm" | "role">;
    vmAlarms: Gauge<"cluster" | "vm">;
    findings: Gauge<"cluster" | "kind" | "severity">;
  };
  #scraping: Promise<unknown> = Promise.resolve();

  constructor(sources: MetricsSources) {
    this.#sources = sources;
    const registers = [this.#registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    this.#gauges = {
      clusterUp: gauge("corral_cluster_up", "1 when a node answered for the cluster", ["cluster"]),
      quorate: gauge("corral_cluster_quorate", "1 when the cluster has quorum", ["cluster"]),
      maintenance: gauge("corral_cluster_maintenance_mode", "1 in maintenance mode", ["cluster"]),
      fencing: gauge("corral_cluster_fencing_enabled", "1 when stonith is enabled", ["cluster"]),
      node: gauge("corral_node_state", "1 for the state each node is in", [
        "cluster",
        "node",
        "state",
      ]),
      vmManaged: gauge("corral_vm_managed", "1 when a VirtualDomain resource runs the VM", [
        "cluster",
        "vm",
      ]),
      vmRunning: gauge("corral_vm_running_nodes", "How many nodes' libvirt run the VM", [
        "cluster",
        "vm",
      ]),
      vmRole: gauge("corral_vm_resource_role", "1 for the role Pacemaker gives the VM", [
        "cluster",
        "vm",
        "role",
      ]),
      vmAlarms: gauge("corral_vm_alarms", "The VM's open alarms (double run, ...)", [
        "cluster",
        "vm",
      ]),
      findings: gauge("corral_findings_open", "Unresolved findings", [
        "cluster",
        "kind",
        "severity",
      ]),
    };
    this.#operations = new Histogram({
      name: "corral_operation_duration_seconds",
      help: "How long Corral's operations took (migrations, moves, onboarding steps)",
      labelNames: ["kind", "result"],
      buckets: OPERATION_BUCKETS,
      registers,
    });
    collectDefaultMetrics({ register: this.#registry, prefix: "corral_" });
  }

  /** Records one finished operation: `kind` as the VM lock names it ("vm.migrate", ...). */
  observeOperation(kind: string, seconds: number, result: string): void {
    this.#operations.observe({ kind, result }, seconds);
  }

  /** The exposition, one scrape at a time (the gauges are refilled for each). */
  render(): Promise<{ contentType: string; body: string }> {
    const scrape = this.#scraping.then(async () => {
      await this.#refresh();
      return { contentType: this.#registry.contentType, body: await this.#registry.metrics() };
    });
    this.#scraping = scrape.catch(() => undefined);
    return scrape;
  }

  async #refresh(): Promise<void> {
    const [inventories, findings] = await Promise.all([
      this.#sources.inventories(),
      this.#sources.openFindings(),
    ]);
    const g = this.#gauges;
    for (const each of Object.values(g)) each.reset();
    const names = new Map<string, string>();
    for (const inventory of inventories) {
      const cluster = inventory.clusterName;
      names.set(inventory.clusterId, cluster);
      g.clusterUp.set({ cluster }, inventory.summary ? 1 : 0);
      if (inventory.summary) {
        g.quorate.set({ cluster }, Number(inventory.summary.quorate));
        g.maintenance.set({ cluster }, Number(inventory.summary.maintenanceMode));
        g.fencing.set({ cluster }, Number(inventory.summary.stonithEnabled));
      }
      for (const node of inventory.nodes) {
        g.node.set({ cluster, node: node.name, state: node.state }, 1);
      }
      for (const vm of inventory.vms) {
        g.vmManaged.set({ cluster, vm: vm.name }, vm.resource ? 1 : 0);
        g.vmRunning.set({ cluster, vm: vm.name }, vm.runningOn.length);
        g.vmAlarms.set({ cluster, vm: vm.name }, vm.alarms.length);
        if (vm.resource) g.vmRole.set({ cluster, vm: vm.name, role: vm.resource.role }, 1);
      }
    }
    for (const count of findings) {
      g.findings.set(
        {
          cluster: names.get(count.clusterId) ?? count.clusterId,
          kind: count.kind,
          severity: count.severity,
        },
        count.count,
      );
    }
  }
}
