import { expect, it } from "vitest";
import { createTestDatabase } from "./testing/test-database.ts";

it("opens SQLite in WAL mode, so page reads never wait for a write", async () => {
  const test = await createTestDatabase("sqlite");
  try {
    const rows =
      await test.database.client.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(rows[0]?.journal_mode).toBe("wal");
  } finally {
    await test.dispose();
  }
});
