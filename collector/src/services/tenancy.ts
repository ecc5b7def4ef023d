/**
 * Tenants (one per Grafana organization) and their API tokens. A token is shown once, at creation;
 * only its SHA-256 digest is stored.
 */
import type { Database, Queryable } from '../storage/db.js';
import {
  findActiveTokenByHash,
  insertApiToken,
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

async function issueToken(q: Queryable, tenantId: string, name: string, createdBy: string, token = generateToken()) {
  const row = await insertApiToken(q, {
    tenantId,
    name,
    prefix: displayPrefix(token),
    hash: hashToken(token),
    createdBy,
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
  input: { tenantId: string; name: string; actor: string; actorKind: 'cli' | 'user' | 'token' }
): Promise<IssuedToken> {
  return db.transaction(async (tx) => {
    const token = await issueToken(tx, input.tenantId, input.name, input.actor);
    await appendAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      actorKind: input.actorKind,
      action: 'token.create',
      targetKind: 'api_token',
      targetId: token.id,
      details: { name: input.name, prefix: token.prefix },
    });
    return token;
  });
}

export async function authenticate(db: Database, token: string): Promise<AuthContext | undefined> {
  const found = await findActiveTokenByHash(db, hashToken(token));
  if (!found) return undefined;
  await touchToken(db, found.id);
  return { tenantId: found.tenantId, grafanaOrgId: found.grafanaOrgId, tokenId: found.id };
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
