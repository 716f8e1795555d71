import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { ApiTokensSettings } from "./api-tokens-settings.tsx";

export const metadata: Metadata = { title: "API tokens" };

export default function ApiTokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens for automation: Prometheus scraping /metrics, scripts calling the API. A token acts as the operator who created it, with that operator's role at the time of each use; every use is in the command log."
      />
      <ApiTokensSettings />
    </>
  );
}
