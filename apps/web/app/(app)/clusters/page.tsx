import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Clusters and nodes" };

export default function ClustersPage() {
  return (
    <>
      <PageHeader
        title="Clusters and nodes"
        description="The Pacemaker/Corosync clusters Corral manages, their nodes, quorum and the health of each node."
      />
      <EmptyState title="No cluster registered yet" testId="empty-clusters">
        <p>
          Corral reaches a cluster over SSH through any one of its nodes and discovers the rest.
          Registering a cluster is not part of this version yet.
        </p>
        <p>
          To try Corral now, start the lab cluster with <code>bash scripts/up.sh</code> on this
          machine: it will appear here once registration lands.
        </p>
      </EmptyState>
    </>
  );
}
