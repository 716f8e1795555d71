import { statSync } from "node:fs";
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

it("keeps the SQLite file, its WAL and shared memory readable by Corral's user only", async () => {
  const test = await createTestDatabase("sqlite");
  try {
    await test.database.client.$executeRawUnsafe("CREATE TABLE written (x INTEGER)");
    const [{ file } = { file: "" }] =
      await test.database.client.$queryRawUnsafe<{ file: string }[]>("PRAGMA database_list");
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ path, mode: (statSync(path).mode & 0o777).toString(8) }).toEqual({
        path,
        mode: "600",
      });
    }
  } finally {
    await test.dispose();
  }
});
