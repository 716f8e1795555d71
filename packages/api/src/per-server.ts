import type { CorralServer } from "./server.ts";

/**
 * One instance of a service per server, made on first use. `of` is for start-up recovery,
 * which runs before serving; `afterRecovery` is for procedures, which wait until that recovery
 * has settled the operations a stopped Corral left.
 */
export function perServer<T>(create: (server: CorralServer) => T) {
  const made = new WeakMap<CorralServer, T>();
  const of = (server: CorralServer): T => {
    let service = made.get(server);
    if (!service) {
      service = create(server);
      made.set(server, service);
    }
    return service;
  };
  const afterRecovery = async (server: CorralServer): Promise<T> => {
    await server.recovered;
    return of(server);
  };
  return { of, afterRecovery };
}
