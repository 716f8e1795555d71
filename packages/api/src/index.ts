export { loadConfig } from "./config.ts";
export { handleAuthRequest } from "./http/handle-auth-request.ts";
export { handleMetricsRequest } from "./http/handle-metrics-request.ts";
export { handleTrpcRequest } from "./http/handle-trpc-request.ts";
export type { AppRouter } from "./routers/app.router.ts";
export { getCorralServer } from "./server.ts";
