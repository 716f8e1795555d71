import { z } from "zod";

export const hostKeySchema = z.object({
  keyType: z.string().trim().min(1).max(100),
  fingerprint: z
    .string()
    .trim()
    .max(100)
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "Expected a fingerprint like ssh-keygen -lf prints it"),
});

export const endpointSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, "Enter the node's address")
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, "Enter a host name or an IP address"),
  port: z.coerce.number().int().min(1).max(65_535).default(22),
});

const optionalSecret = z
  .string()
  .max(64 * 1024)
  .optional()
  .transform((value) => value || undefined);

export const credentialsSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter the SSH user (root, or a user with passwordless sudo)")
    .max(64)
    .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "Not a valid user name"),
  privateKey: optionalSecret,
  passphrase: optionalSecret,
  password: optionalSecret,
});

/** How to reach a new node: address, credentials and the host key the operator confirmed. */
export const nodeAccessSchema = endpointSchema
  .extend(credentialsSchema.shape)
  .extend({ hostKey: hostKeySchema })
  .refine((node) => node.privateKey || node.password, {
    message: "Paste a private key (or give a password to bootstrap with)",
    path: ["privateKey"],
  });
