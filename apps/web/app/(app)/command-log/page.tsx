import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { CommandLog } from "./command-log.tsx";

export const metadata: Metadata = { title: "Command log" };

export default function CommandLogPage() {
  return (
    <>
      <PageHeader
        title="Command log"
        description="Every action an operator took and every command Corral ran on a node: who, when, where, the exact argv, exit code, duration and output. Secrets are never stored."
      />
      <CommandLog />
    </>
  );
}
