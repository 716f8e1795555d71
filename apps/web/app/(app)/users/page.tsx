import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { UsersAdmin } from "./users-admin.tsx";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <>
      <PageHeader
        title="Users"
        description="Operators and their roles. Viewers read everything; operators also act on clusters and VMs; admins also manage users and settings."
      />
      <UsersAdmin />
    </>
  );
}
