import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Onboard a VM" };

export default function OnboardPage() {
  return (
    <>
      <PageHeader
        title="Onboard a VM"
        description="Turn a libvirt VM into a VirtualDomain cluster resource, following the RHEL high-availability procedure: shared storage check, configuration on every node, a start/stop test on each node, then the resource."
      />
      <EmptyState title="Nothing to onboard yet" testId="empty-onboard">
        <p>
          Register a cluster first (Clusters and nodes); its VMs that Pacemaker does not manage yet
          will be listed here.
        </p>
      </EmptyState>
    </>
  );
}
