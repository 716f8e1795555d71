export { appCodeOf } from "./app-error-to-trpc.ts";
export { type Config, loadConfig } from "./config.ts";
export { handleAuthRequest } from "./http/handle-auth-request.ts";
export { handleMetricsRequest } from "./http/handle-metrics-request.ts";
export { handleTrpcRequest } from "./http/handle-trpc-request.ts";
export { type AppRouter, appRouter } from "./routers/app.router.ts";
export { type CorralServer, createCorralServer, getCorralServer } from "./server.ts";
export { type Context, createCallerFactory, createContext } from "./trpc.ts";
