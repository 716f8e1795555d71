import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { TestMatrix } from "./test-matrix.tsx";

export const metadata: Metadata = { title: "Test results" };

export default function TestResultsPage() {
  return (
    <>
      <PageHeader
        title="Test results"
        description="The start/stop tests run on each node while onboarding a VM: which node, how long the start and the graceful shutdown took, and what failed."
      />
      <TestMatrix />
    </>
  );
}
