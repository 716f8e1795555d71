// Preloaded into the Prisma CLI (run-prisma-cli.ts). Its WebAssembly schema engine leaves a
// 10 s timer behind, so the CLI would sit idle for 10-60 s after its work is done; a timer
// created from wasm never has to keep the process alive, so it is unref'd.
for (const name of ["setTimeout", "setInterval"]) {
  const original = globalThis[name];
  globalThis[name] = function timerUnrefdFromWasm(...args) {
    const timer = original.apply(this, args);
    if (new Error().stack?.includes("wasm://")) timer.unref?.();
    return timer;
  };
}
