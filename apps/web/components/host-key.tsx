import type { HostKey } from "@/lib/trpc-types.ts";

const KEY_TYPE_LABEL: Record<string, string> = {
  "ssh-ed25519": "ED25519",
  "ssh-rsa": "RSA",
  "ecdsa-sha2-nistp256": "ECDSA",
  "ecdsa-sha2-nistp384": "ECDSA",
  "ecdsa-sha2-nistp521": "ECDSA",
};

/** A host key the way `ssh-keygen -lf` prints it, so the operator can compare it on the node. */
export function HostKeyFingerprint({ hostKey, testId }: { hostKey: HostKey; testId?: string }) {
  return (
    <span className="font-mono text-xs break-all">
      <span data-testid={testId}>{hostKey.fingerprint}</span> (
      {KEY_TYPE_LABEL[hostKey.keyType] ?? hostKey.keyType})
    </span>
  );
}
