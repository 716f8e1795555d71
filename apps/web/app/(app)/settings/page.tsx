import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { InstanceSettings } from "./instance-settings.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this Corral instance is configured. Admins set the config file directories here; the rest comes from the environment at start-up (see the README's Configuration section)."
      />
      <InstanceSettings />
    </>
  );
}
