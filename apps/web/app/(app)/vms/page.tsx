import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { VmList } from "./vm-list.tsx";

export const metadata: Metadata = { title: "VMs" };

export default function VmsPage() {
  return (
    <>
      <PageHeader
        title="VMs"
        description="Every libvirt VM on your clusters' nodes: where it runs, whether Pacemaker manages it as a VirtualDomain resource, and its state."
      />
      <VmList />
    </>
  );
}
