import { AppError, ERROR_CODES } from "@corral/core";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appCodeOf, appErrorToTRPC } from "./app-error-to-trpc.ts";

describe("the error mapping", () => {
  it("maps every AppError code to a tRPC code and back to itself", () => {
    for (const code of ERROR_CODES) {
      const mapped = appErrorToTRPC(new AppError(code, `failed: ${code}`));
      expect(mapped).toBeInstanceOf(TRPCError);
      expect(mapped.message).toBe(`failed: ${code}`);
      expect(appCodeOf(mapped)).toBe(code);
    }
  });

  it("gives callers the codes they can act on", () => {
    const trpcCode = (code: (typeof ERROR_CODES)[number]) =>
      appErrorToTRPC(new AppError(code, "x")).code;
    expect(trpcCode("UNAUTHENTICATED")).toBe("UNAUTHORIZED");
    expect(trpcCode("FORBIDDEN")).toBe("FORBIDDEN");
    expect(trpcCode("INVALID_INPUT")).toBe("BAD_REQUEST");
    expect(trpcCode("CONFLICT")).toBe("CONFLICT");
    expect(trpcCode("RATE_LIMITED")).toBe("TOO_MANY_REQUESTS");
    expect(trpcCode("NODE_UNREACHABLE")).toBe("BAD_GATEWAY");
  });

  it("names tRPC's own failures with the nearest AppError code", () => {
    expect(appCodeOf(new TRPCError({ code: "BAD_REQUEST" }))).toBe("INVALID_INPUT");
    expect(appCodeOf(new TRPCError({ code: "UNAUTHORIZED" }))).toBe("UNAUTHENTICATED");
    expect(appCodeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR" }))).toBe("INTERNAL");
  });
});
