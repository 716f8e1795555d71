import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import { Timeline } from "./timeline.tsx";

export const metadata: Metadata = { title: "Timeline" };

export default function TimelinePage() {
  return (
    <>
      <PageHeader
        title="Timeline"
        description="One time axis per cluster, VM or node: what Pacemaker did (its own moves, failed operations), what Corral's watch recorded (findings, recoveries), Corral's moves and tests, and every operator's action."
      />
      <Suspense>
        <Timeline />
      </Suspense>
    </>
  );
}
