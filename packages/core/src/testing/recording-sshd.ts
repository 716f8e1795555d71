import type { AddressInfo } from "node:net";
import { Server, utils } from "ssh2";
import { describeHostKey, type HostKey } from "../ssh/host-key.ts";

/** One authentication request a client made, with the secret it offered (if any). */
export interface OfferedAuth {
  username: string;
  method: string;
  password?: string;
}

export interface RecordingSshd {
  port: number;
  hostKey: HostKey;
  /** Every authentication request so far, in order. */
  offered: OfferedAuth[];
  stop(): Promise<void>;
}

/**
 * A hostile SSH server on a loopback port: it presents a host key of its own, writes down every
 * authentication attempt (passwords in clear) and refuses them all, asking for password and
 * publickey so a client offers whatever it holds. Stands in for a host an operator named that
 * is not the node a stored credential belongs to.
 */
export async function startRecordingSshd(): Promise<RecordingSshd> {
  const { private: hostPrivateKey } = utils.generateKeyPairSync("ed25519");
  const parsed = utils.parseKey(hostPrivateKey);
  if (parsed instanceof Error) throw parsed;
  const offered: OfferedAuth[] = [];
  const server = new Server({ hostKeys: [hostPrivateKey] }, (client) => {
    client.on("error", () => {});
    client.on("authentication", (context) => {
      offered.push({
        username: context.username,
        method: context.method,
        ...(context.method === "password" ? { password: context.password } : {}),
      });
      context.reject(["password", "publickey"]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: describeHostKey((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH()),
    offered,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
