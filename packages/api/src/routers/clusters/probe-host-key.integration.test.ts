import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../testing/test-server.ts";

function listen(onConnection: (socket: import("node:net").Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

describe("clusters.probeHostKey", () => {
  let test: TestServer;
  let http: Server;
  let closed: number;

  beforeAll(async () => {
    test = await createTestServer();
    // Something that is not SSH: answers like a web server and hangs up.
    http = await listen((socket) =>
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n", () => socket.destroy()),
    );
    const gone = await listen(() => {});
    closed = portOf(gone);
    await new Promise((resolve) => gone.close(resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    await test?.dispose();
  });

  it("answers every port without an SSH server alike, and limits how often", async () => {
    const operator = await test.caller((await test.signedIn("operator")).headers);
    const refusal = (port: number) =>
      operator.clusters.probeHostKey({ host: "127.0.0.1", port }).then(
        () => ({ code: "none", message: "" }),
        (error: { code: string; message: string }) => ({
          code: error.code,
          message: error.message.replace(`:${port}`, ":PORT"),
        }),
      );
    const [notSsh, nothing] = [await refusal(portOf(http)), await refusal(closed)];
    expect(notSsh.code).toBe("BAD_GATEWAY");
    expect(notSsh).toEqual(nothing);

    const codes: string[] = [];
    for (let i = 0; i < 60; i++) codes.push((await refusal(closed)).code);
    expect(codes.at(-1)).toBe("TOO_MANY_REQUESTS");
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(2);
    // Another operator has their own allowance.
    const other = await test.caller((await test.signedIn("operator")).headers);
    await expect(other.clusters.probeHostKey({ host: "127.0.0.1", port: closed })).rejects.toThrow(
      /No SSH server/,
    );
  });
});
