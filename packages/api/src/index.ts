export { appCodeOf } from "./app-error-to-trpc.ts";
export { handleAuthRequest } from "./auth/handle-auth-request.ts";
export { type Config, loadConfig } from "./config.ts";
export { type AppRouter, appRouter } from "./routers/app.router.ts";
export { type CorralServer, createCorralServer, getCorralServer } from "./server.ts";
export { type Context, createCallerFactory, createContext } from "./trpc.ts";
