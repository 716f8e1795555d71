import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Test results" };

export default function TestResultsPage() {
  return (
    <>
      <PageHeader
        title="Test results"
        description="The start/stop tests run on each node while onboarding a VM: which node, which step, how long, and what failed."
      />
      <EmptyState title="No tests have run yet" testId="empty-test-results">
        <p>Tests run when you onboard a VM. Their results, per node and per step, are kept here.</p>
      </EmptyState>
    </>
  );
}
