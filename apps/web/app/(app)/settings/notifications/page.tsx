import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { NotificationsSettings } from "./notifications-settings.tsx";

export const metadata: Metadata = { title: "Notifications" };

export default function NotificationsPage() {
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Where Corral sends findings: each rule picks finding kinds, a minimum severity and clusters, and sends one message when a finding opens and one when it resolves to its channels (signed webhooks, email). Admins edit them; operators see them and what was delivered."
      />
      <NotificationsSettings />
    </>
  );
}
