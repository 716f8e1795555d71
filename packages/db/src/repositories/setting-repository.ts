import type { DbClient } from "../create-database.ts";

/** Instance-wide key/value settings, and one-time claims made atomically by the database. */
export class SettingRepository {
  constructor(private readonly db: DbClient) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db.setting.findUnique({ where: { key } });
    return row?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }

  /**
   * Stores `key` only if no one has: true for exactly one of any number of concurrent callers
   * (the primary key decides), false for the others.
   */
  async claim(key: string, value: string): Promise<boolean> {
    const created = await this.db.setting.createMany({ data: [{ key, value }] }).catch((error) => {
      if ((error as { code?: string }).code === "P2002") return { count: 0 };
      throw error;
    });
    return created.count === 1;
  }

  async release(key: string): Promise<void> {
    await this.db.setting.deleteMany({ where: { key } });
  }
}
