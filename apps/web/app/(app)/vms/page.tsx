import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "VMs" };

export default function VmsPage() {
  return (
    <>
      <PageHeader
        title="VMs"
        description="Every libvirt VM on your clusters' nodes: where it runs, whether Pacemaker manages it as a VirtualDomain resource, and its state."
      />
      <EmptyState title="No VMs to show" testId="empty-vms">
        <p>VMs appear here once a cluster is registered on the Clusters and nodes page.</p>
        <p>
          A VM that Pacemaker does not manage yet can then be brought under it from Onboard a VM.
        </p>
      </EmptyState>
    </>
  );
}
