import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { ClustersView } from "./clusters-view.tsx";

export const metadata: Metadata = { title: "Clusters and nodes" };

export default function ClustersPage() {
  return (
    <>
      <PageHeader
        title="Clusters and nodes"
        description="The Pacemaker/Corosync clusters Corral manages: quorum, the VMs on each node, and the health of every node, live."
      />
      <ClustersView />
    </>
  );
}
