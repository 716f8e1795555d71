import type { DbClient } from "../create-database.ts";

/** An operator account as the UI lists it (better-auth owns writes: packages/api/src/auth). */
export interface Operator {
  id: string;
  name: string;
  email: string;
  role: string;
  /** Disabled operators cannot sign in (better-auth's ban). */
  disabled: boolean;
  createdAt: Date;
}

export class OperatorRepository {
  constructor(private readonly db: DbClient) {}

  count(): Promise<number> {
    return this.db.user.count();
  }

  async list(): Promise<Operator[]> {
    const rows = await this.db.user.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role,
      disabled: row.banned,
      createdAt: row.createdAt,
    }));
  }

  /** The id of the account with this email (as better-auth stores it, lower case), if any. */
  async findIdByEmail(email: string): Promise<string | null> {
    const row = await this.db.user.findUnique({
      where: { email: email.trim().toLowerCase() },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  async countAdmins(): Promise<number> {
    return this.db.user.count({ where: { role: "admin", banned: false } });
  }
}
