/**
 * Tenants (one per Grafana organization) and their API tokens. A token is shown once, at creation;
 * only its SHA-256 digest is stored.
 */
import type { Database, Queryable } from '../storage/db.js';
import {
  findActiveTokenByHash,
  findApiToken,
  insertApiToken,
  revokeApiToken,
  revokeTokensNamed,
  tokenHashExists,
  touchToken,
} from '../storage/repositories/api-tokens.js';
import { appendAudit } from '../storage/repositories/audit-log.js';
import { findTenantByOrg, insertTenant, type TenantRow } from '../storage/repositories/tenants.js';
import { displayPrefix, generateToken, hashToken } from '../security/tokens.js';

export interface AuthContext {
  tenantId: string;
  grafanaOrgId: number;
  tokenId: string;
  /** Issued by the operator for cross-tenant support reads (migration 012; plugins/actor.ts). */
  supportAccess: boolean;
}

export interface IssuedToken {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  /** The token itself: returned once, never stored. */
  token: string;
}

export class TenantExistsError extends Error {
  constructor(orgId: number) {
    super(`A tenant for Grafana org ${orgId} already exists`);
    this.name = 'TenantExistsError';
  }
}

export const BOOTSTRAP_ORG_ID = 1;
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

async function issueToken(
  q: Queryable,
  tenantId: string,
  name: string,
  createdBy: string,
  token = generateToken(),
  options: { expiresAt?: Date; supportAccess?: boolean } = {}
) {
  const row = await insertApiToken(q, {
    tenantId,
    name,
    prefix: displayPrefix(token),
    hash: hashToken(token),
    createdBy,
    ...options,
  });
  return { id: row.id, tenantId, name, prefix: row.prefix, token } satisfies IssuedToken;
}

export async function createTenant(
  db: Database,
  input: { orgId: number; name: string; actor: string }
): Promise<{ tenant: TenantRow; token: IssuedToken }> {
  return db.transaction(async (tx) => {
    if (await findTenantByOrg(tx, input.orgId)) throw new TenantExistsError(input.orgId);
    const tenant = await insertTenant(tx, input.orgId, input.name);
    const token = await issueToken(tx, tenant.id, 'default', input.actor);
    await appendAudit(tx, {
      tenantId: tenant.id,
      actor: input.actor,
      actorKind: 'cli',
      action: 'tenant.create',
      targetKind: 'tenant',
      targetId: tenant.id,
      details: { grafanaOrgId: input.orgId, name: input.name },
    });
    return { tenant, token };
  });
}

export async function createToken(
  db: Database,
  input: {
    tenantId: string;
    name: string;
    actor: string;
    actorKind: 'cli' | 'user' | 'token';
    expiresAt?: Date;
    /** Only the CLI grants it: a tenant must not be able to give itself cross-tenant reads. */
    supportAccess?: boolean;
    sourceIp?: string;
    /** The API token of the request that created it, when it came through the API. */
    byTokenId?: string;
  }
): Promise<IssuedToken & { expiresAt: Date | null; supportAccess: boolean }> {
  return db.transaction(async (tx) => {
    const options = { expiresAt: input.expiresAt, supportAccess: input.supportAccess ?? false };
    const token = await issueToken(tx, input.tenantId, input.name, input.actor, undefined, options);
    const after = {
      name: input.name,
      prefix: token.prefix,
      expiresAt: input.expiresAt?.toISOString() ?? null,
      supportAccess: options.supportAccess,
    };
    await appendAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      actorKind: input.actorKind,
      action: 'token.create',
      targetKind: 'api_token',
      targetId: token.id,
      sourceIp: input.sourceIp,
      details: { name: input.name, prefix: token.prefix, ...(input.byTokenId ? { tokenId: input.byTokenId } : {}) },
      summary: `API token "${input.name}" (${token.prefix}…) created${options.supportAccess ? ' with support access' : ''}`,
      before: null,
      after,
    });
    return { ...token, expiresAt: input.expiresAt ?? null, supportAccess: options.supportAccess };
  });
}

export class TokenNotFoundError extends Error {
  readonly statusCode = 404;
  constructor() {
    super('API token not found');
    this.name = 'TokenNotFoundError';
  }
}

export class TokenInUseError extends Error {
  readonly statusCode = 409;
  constructor() {
    super('This is the token the request itself uses; revoke it with another token');
    this.name = 'TokenInUseError';
  }
}

/**
 * Revokes one of the tenant's tokens (audited with before/after). Revoking a revoked token changes
 * nothing and writes nothing; a foreign or unknown id is a 404.
 */
export async function revokeToken(
  db: Database,
  input: {
    tenantId: string;
    id: string;
    actor: string;
    actorKind: 'user' | 'token';
    sourceIp?: string;
    byTokenId: string;
  }
): Promise<void> {
  await db.withTenant(input.tenantId, async (tx) => {
    const current = await findApiToken(tx, input.tenantId, input.id);
    if (!current) throw new TokenNotFoundError();
    // The app would lock itself out mid-request; the CLI or another token can still do it.
    if (current.id === input.byTokenId && !current.revokedAt) throw new TokenInUseError();
    const revoked = await revokeApiToken(tx, input.tenantId, input.id);
    if (!revoked) return;
    await appendAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      actorKind: input.actorKind,
      action: 'token.revoke',
      targetKind: 'api_token',
      targetId: input.id,
      sourceIp: input.sourceIp,
      details: { name: current.name, prefix: current.prefix, tokenId: input.byTokenId },
      summary: `API token "${current.name}" (${current.prefix}…) revoked`,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt?.toISOString() ?? null },
    });
  });
}

export async function authenticate(db: Database, token: string): Promise<AuthContext | undefined> {
  const found = await findActiveTokenByHash(db, hashToken(token));
  if (!found) return undefined;
  await touchToken(db, found.id);
  return {
    tenantId: found.tenantId,
    grafanaOrgId: found.grafanaOrgId,
    tokenId: found.id,
    supportAccess: found.supportAccess,
  };
}

/**
 * The first tenant (Grafana org 1). With INFRAZEN_BOOTSTRAP_TOKEN its token is that value (a changed
 * value replaces the previous one); without it a token is generated on the first start only and
 * returned so the caller can print it once.
 */
export async function ensureBootstrapTenant(
  db: Database,
  bootstrapToken: string | undefined
): Promise<{ tenant: TenantRow; generatedToken?: string }> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.bootstrap'))`);
    let tenant = await findTenantByOrg(tx, BOOTSTRAP_ORG_ID);
    let generatedToken: string | undefined;
    if (!tenant) {
      tenant = await insertTenant(tx, BOOTSTRAP_ORG_ID, 'Main Org.');
      await appendAudit(tx, {
        tenantId: tenant.id,
        actor: 'collector',
        actorKind: 'system',
        action: 'tenant.bootstrap',
        targetKind: 'tenant',
        targetId: tenant.id,
      });
      if (!bootstrapToken) {
        generatedToken = (await issueToken(tx, tenant.id, BOOTSTRAP_TOKEN_NAME, 'collector')).token;
      }
    }
    if (bootstrapToken) {
      const hash = hashToken(bootstrapToken);
      if (!(await tokenHashExists(tx, hash))) {
        await issueToken(tx, tenant.id, BOOTSTRAP_TOKEN_NAME, 'INFRAZEN_BOOTSTRAP_TOKEN', bootstrapToken);
      }
      await revokeTokensNamed(tx, tenant.id, BOOTSTRAP_TOKEN_NAME, hash);
    }
    return { tenant, generatedToken };
  });
}
