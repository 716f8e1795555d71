import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { OnboardingWizard } from "./onboarding-wizard.tsx";

export const metadata: Metadata = { title: "Onboard a VM" };

export default async function OnboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === "string" ? params[key] : null);
  return (
    <>
      <PageHeader
        title="Onboard a VM"
        description="Turn a libvirt VM into a VirtualDomain cluster resource, following the RHEL high-availability procedure: preflight, the configuration on every node, storage and migration checks, a start/stop test on each node, then the resource."
      />
      <OnboardingWizard clusterId={one("cluster")} vm={one("vm")} jobId={one("job")} />
    </>
  );
}
