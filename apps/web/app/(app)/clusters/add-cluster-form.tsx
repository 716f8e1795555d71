"use client";

import { type AddClusterInput, addClusterInput, probeHostKeyInput } from "@corral/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, TextInput } from "@/components/field.tsx";
import { HostKeyFingerprint } from "@/components/host-key.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { AddedNodes, HostKey } from "@/lib/trpc-types.ts";

type NodeAccessFields = Omit<AddClusterInput["nodes"][number], "hostKey" | "port"> & {
  port: string;
};

const EMPTY: NodeAccessFields = {
  host: "",
  port: "22",
  username: "root",
  privateKey: "",
  passphrase: "",
  password: "",
};

/**
 * Adding a cluster: the operator gives one node and its credentials, checks the host key
 * Corral sees against the node's own `ssh-keygen -lf`, confirms it, and Corral connects with
 * that key pinned. On success the cluster's other members are offered.
 */
export function AddClusterForm({ onAdded }: { onAdded: (added: AddedNodes) => void }) {
  const trpc = useTRPC();
  const [values, setValues] = useState<NodeAccessFields>(EMPTY);
  const [hostKey, setHostKey] = useState<HostKey | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const probe = useMutation(trpc.clusters.probeHostKey.mutationOptions({ onSuccess: setHostKey }));
  const add = useMutation(
    trpc.clusters.add.mutationOptions({
      onSuccess: (added) => {
        setValues(EMPTY);
        setHostKey(null);
        onAdded(added);
      },
    }),
  );

  const set = (key: keyof NodeAccessFields) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [key]: event.target.value }));
    // A different address means a different key to confirm.
    if (key === "host" || key === "port") setHostKey(null);
  };

  async function readKeyFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setValues((current) => ({ ...current, privateKey: "" }));
    if (file) {
      const text = await file.text();
      setValues((current) => ({ ...current, privateKey: text }));
    }
  }

  function checkHostKey(event: FormEvent) {
    event.preventDefault();
    setHostKey(null);
    add.reset();
    const endpoint = probeHostKeyInput.safeParse({ host: values.host, port: values.port });
    if (!endpoint.success) {
      setFieldErrors(z.flattenError(endpoint.error).fieldErrors);
      return;
    }
    setFieldErrors({});
    probe.mutate(endpoint.data);
  }

  function confirm() {
    if (!hostKey) return;
    const parsed = addClusterInput.safeParse({ nodes: [{ ...values, hostKey }] });
    if (!parsed.success) {
      const flat = z.flattenError(parsed.error);
      setFieldErrors(
        Object.fromEntries(
          parsed.error.issues.map((issue) => [String(issue.path.at(-1)), [issue.message]]),
        ),
      );
      if (flat.formErrors.length)
        setFieldErrors((current) => ({ ...current, form: flat.formErrors }));
      return;
    }
    setFieldErrors({});
    add.mutate(parsed.data);
  }

  return (
    <form
      onSubmit={checkHostKey}
      data-testid="action-add-cluster"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="font-medium">Add a cluster</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Any one node is enough: Corral reads the cluster&apos;s members from it and offers to add
        the others with the same credentials.
      </p>
      <div className="grid gap-3 md:grid-cols-[1fr_7rem_10rem]">
        <Field label="Node address" error={fieldErrors.host?.[0]}>
          <TextInput
            value={values.host}
            onChange={set("host")}
            data-testid="add-cluster-host"
            required
          />
        </Field>
        <Field label="SSH port" error={fieldErrors.port?.[0]}>
          <TextInput
            value={values.port}
            onChange={set("port")}
            inputMode="numeric"
            data-testid="add-cluster-port"
          />
        </Field>
        <Field label="SSH user" error={fieldErrors.username?.[0]}>
          <TextInput
            value={values.username}
            onChange={set("username")}
            data-testid="add-cluster-user"
          />
        </Field>
      </div>
      <Field
        label="Private key (root, or a user with passwordless sudo)"
        error={fieldErrors.privateKey?.[0]}
      >
        <textarea
          value={values.privateKey}
          onChange={set("privateKey")}
          rows={4}
          spellCheck={false}
          placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          data-testid="add-cluster-private-key"
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
      </Field>
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="…or upload the key file">
          <input
            type="file"
            onChange={readKeyFile}
            data-testid="add-cluster-key-file"
            className="text-sm"
          />
        </Field>
        <Field label="Key passphrase (if any)">
          <TextInput
            type="password"
            autoComplete="off"
            value={values.passphrase}
            onChange={set("passphrase")}
            data-testid="add-cluster-passphrase"
          />
        </Field>
        <Field label="Password (only to bootstrap, if no key)">
          <TextInput
            type="password"
            autoComplete="off"
            value={values.password}
            onChange={set("password")}
            data-testid="add-cluster-password"
          />
        </Field>
      </div>
      <ErrorBanner error={probe.error ?? add.error} testId="add-cluster-error" />
      {fieldErrors.form ? <p className="text-sm text-red-600">{fieldErrors.form[0]}</p> : null}
      {hostKey ? (
        <div
          data-testid="add-cluster-host-key"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <p>
            {values.host}:{values.port} presents this host key:
          </p>
          <p>
            <HostKeyFingerprint hostKey={hostKey} testId="probe-fingerprint" />
          </p>
          <p className="text-xs">
            Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the node.
            Corral will refuse any other key from this node.
          </p>
          <Button onClick={confirm} disabled={add.isPending} data-testid="add-cluster-confirm">
            {add.isPending
              ? "Connecting and checking the node…"
              : "The fingerprint matches: add the cluster"}
          </Button>
        </div>
      ) : (
        <Button type="submit" disabled={probe.isPending} data-testid="add-cluster-probe">
          {probe.isPending ? "Asking for the host key…" : "Check the host key"}
        </Button>
      )}
    </form>
  );
}
