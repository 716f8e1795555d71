import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { NeedsAttention } from "./needs-attention.tsx";

export const metadata: Metadata = { title: "Needs attention" };

export default function NeedsAttentionPage() {
  return (
    <>
      <PageHeader
        title="Needs attention"
        description="Every hazard the watch sees across your clusters, worst first: what it is, why it matters, and the exact commands that fix it. A finding closes itself once the cluster no longer shows it, and stays in the history."
      />
      <NeedsAttention />
    </>
  );
}
