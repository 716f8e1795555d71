import type { DbClient } from "../create-database.ts";

/** A token as lists show it: never the token, only its first characters. */
export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  owner: { id: string; email: string; role: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedByName: string | null;
}

/** Who a presented token acts as, when it is valid. */
interface ApiTokenHolder {
  tokenId: string;
  tokenName: string;
  user: { id: string; name: string; email: string; role: string };
}

const withOwner = { user: { select: { id: true, email: true, role: true } } } as const;

/** API tokens, stored as SHA-256 hashes (packages/api/src/auth/api-token.ts makes them). */
export class ApiTokenRepository {
  constructor(private readonly db: DbClient) {}

  async create(token: {
    id: string;
    name: string;
    userId: string;
    tokenHash: string;
    prefix: string;
  }): Promise<ApiTokenSummary> {
    return toSummary(await this.db.apiToken.create({ data: token, include: withOwner }));
  }

  /** Newest first; every operator's when `userId` is not given. */
  async list(filter: { userId?: string } = {}): Promise<ApiTokenSummary[]> {
    const rows = await this.db.apiToken.findMany({
      where: { userId: filter.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: withOwner,
    });
    return rows.map(toSummary);
  }

  async find(id: string): Promise<ApiTokenSummary | null> {
    const row = await this.db.apiToken.findUnique({ where: { id }, include: withOwner });
    return row ? toSummary(row) : null;
  }

  /**
   * The holder of the token with this hash, when it is not revoked and its owner not disabled,
   * with the owner's role now (a demoted owner's tokens are demoted too). Records the use.
   */
  async use(tokenHash: string, at = new Date()): Promise<ApiTokenHolder | null> {
    const row = await this.db.apiToken.findUnique({
      where: { tokenHash },
      include: {
        user: { select: { id: true, name: true, email: true, role: true, banned: true } },
      },
    });
    if (!row || row.revokedAt !== null || row.user.banned) return null;
    await this.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: at } });
    const { banned: _, ...user } = row.user;
    return { tokenId: row.id, tokenName: row.name, user };
  }

  /** False when there is no such token or it was already revoked. */
  async revoke(id: string, byName: string, at = new Date()): Promise<boolean> {
    const updated = await this.db.apiToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: at, revokedByName: byName },
    });
    return updated.count === 1;
  }
}

function toSummary(row: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedByName: string | null;
  user: { id: string; email: string; role: string };
}): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner: row.user,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    revokedByName: row.revokedByName,
  };
}
