// Corral's production server: `node server.js -H HOST -p PORT` in place of `next start`.
//
// Next hands route handlers a Request without the connection's address and keeps any
// X-Forwarded-For a client sends, so the sign-in rate limit could not tell clients apart from
// what Next gives it. This server serves Next's handler itself and passes each connection's
// address under a header name drawn at random per process (published on globalThis for
// lib/peer-address.ts), which no client can know, so none can forge it.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

process.env.NODE_ENV ??= "production";

const { values } = parseArgs({
  options: {
    hostname: { type: "string", short: "H", default: "127.0.0.1" },
    port: { type: "string", short: "p", default: "3000" },
  },
});
const hostname = values.hostname;
const port = Number(values.port);

const peerHeader = `x-corral-peer-${randomBytes(16).toString("hex")}`;
globalThis[Symbol.for("corral.peerHeader")] = peerHeader;

const { default: next } = await import("next");
const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers[peerHeader] = request.socket.remoteAddress ?? "";
  handle(request, response);
});
server.listen(port, hostname, () => {
  console.log(`Corral listening on http://${hostname}:${port}`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    // Live subscriptions hold connections open: do not wait for them.
    server.closeAllConnections();
    process.exit(0);
  });
}
