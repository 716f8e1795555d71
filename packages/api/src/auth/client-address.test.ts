import { describe, expect, it } from "vitest";
import { resolveClientAddress, trustedProxyList } from "./client-address.ts";

const proxies = trustedProxyList(["127.0.0.3", "10.1.0.0/16", "fd00::/8"]);

describe("resolveClientAddress", () => {
  it("takes the connection's address and ignores X-Forwarded-For from anyone but a proxy", () => {
    expect(resolveClientAddress("192.0.2.7", "203.0.113.1", proxies)).toBe("192.0.2.7");
    expect(resolveClientAddress("::ffff:192.0.2.7", null, proxies)).toBe("192.0.2.7");
    expect(resolveClientAddress("2001:db8::1", "203.0.113.1", proxies)).toBe("2001:db8::1");
    expect(resolveClientAddress("192.0.2.7", "203.0.113.1", trustedProxyList([]))).toBe(
      "192.0.2.7",
    );
  });

  it("reads a trusted proxy's chain from the right, skipping trusted hops", () => {
    expect(resolveClientAddress("127.0.0.3", "203.0.113.1", proxies)).toBe("203.0.113.1");
    expect(resolveClientAddress("::ffff:127.0.0.3", "203.0.113.1", proxies)).toBe("203.0.113.1");
    // The leftmost entry is whatever the client sent: only the hop the proxy appended counts.
    expect(resolveClientAddress("127.0.0.3", "198.51.100.1, 203.0.113.1", proxies)).toBe(
      "203.0.113.1",
    );
    expect(resolveClientAddress("10.1.2.3", "198.51.100.1, 203.0.113.1, 10.1.9.9", proxies)).toBe(
      "203.0.113.1",
    );
    expect(resolveClientAddress("127.0.0.3", "2001:db8::5, fd00::1", proxies)).toBe("2001:db8::5");
  });

  it("stops at a malformed hop and falls back to the proxy when nothing was forwarded", () => {
    expect(resolveClientAddress("127.0.0.3", "203.0.113.1, junk", proxies)).toBe("127.0.0.3");
    expect(resolveClientAddress("127.0.0.3", null, proxies)).toBe("127.0.0.3");
    expect(resolveClientAddress("127.0.0.3", "10.1.0.1", proxies)).toBe("10.1.0.1");
  });

  it("knows no client when the connection's address is unknown", () => {
    expect(resolveClientAddress(null, "203.0.113.1", proxies)).toBeNull();
    expect(resolveClientAddress("not an address", null, proxies)).toBeNull();
  });
});
