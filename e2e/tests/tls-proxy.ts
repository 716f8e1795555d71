import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");

/** The address nginx connects to Corral from: the one CORRAL_TRUSTED_PROXIES names. */
export const PROXY_ADDRESS = "127.0.0.3";

/** nginx in front of Corral as the README shows it, with this proxy's paths and ports filled in. */
function nginxConfig(dir: string, port: number, corralPort: number): string {
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / {
      proxy_pass http://127.0.0.1:${corralPort};
      proxy_bind ${PROXY_ADDRESS};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Live updates are server-sent events: pass each one on at once.
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`;
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ProxiedCorral {
  /** https://127.0.0.1:PORT, through nginx. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A Corral of its own (fresh data directory, started by scripts/lib/corral-server.sh as
 * scripts/up.sh starts it) behind Debian's nginx terminating TLS with a self-signed certificate.
 */
export async function startProxiedCorral(): Promise<ProxiedCorral> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "corral-tls-"));
  const dataDir = path.join(dir, "data");
  const [port, corralPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const url = `https://127.0.0.1:${port}`;
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    path.join(dir, "key.pem"),
    "-out",
    path.join(dir, "cert.pem"),
  ]);
  const server = (command: string) =>
    run(
      "bash",
      [
        "-c",
        `source scripts/lib/bootstrap.sh && source scripts/lib/corral-server.sh && ${command}`,
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          CORRAL_BASE_URL: url,
          CORRAL_TRUSTED_PROXIES: PROXY_ADDRESS,
          NEXT_TELEMETRY_DISABLED: "1",
          CHECKPOINT_DISABLE: "1",
        },
      },
    );
  await server(`corral_start ${dataDir} 127.0.0.1 ${corralPort}`);
  await writeFile(path.join(dir, "nginx.conf"), nginxConfig(dir, port, corralPort));
  const nginx = spawn(
    "nginx",
    ["-p", dir, "-e", path.join(dir, "nginx-error.log"), "-c", path.join(dir, "nginx.conf")],
    {
      stdio: "ignore",
    },
  );
  const stop = async () => {
    nginx.kill("SIGTERM");
    await server(`corral_stop ${dataDir}/corral.pid`);
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    const answered = await run("curl", ["-fsSk", "-o", "/dev/null", `${url}/api/health`]).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (attempt > 50 || nginx.exitCode !== null) {
      const log = await readFile(path.join(dir, "nginx-error.log"), "utf8").catch(() => "");
      await stop();
      throw new Error(`nginx did not answer on ${url}: ${log}`);
    }
    await sleep(200);
  }
  return { url, dataDir, stop };
}
