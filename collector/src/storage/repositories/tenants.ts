import type { Queryable } from '../db.js';

export interface TenantRow {
  id: string;
  grafanaOrgId: number;
  name: string;
  reportingCurrency: string;
  timezone: string;
  locale: string;
  createdAt: Date;
}

const COLUMNS = `id, grafana_org_id AS "grafanaOrgId", name, reporting_currency AS "reportingCurrency",
  timezone, locale, created_at AS "createdAt"`;

export async function insertTenant(q: Queryable, orgId: number, name: string): Promise<TenantRow> {
  const [row] = await q.query<TenantRow>(
    `INSERT INTO tenants (grafana_org_id, name) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [orgId, name]
  );
  return row!;
}

export async function findTenantById(q: Queryable, id: string): Promise<TenantRow | undefined> {
  const [row] = await q.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
  return row;
}

export async function findTenantByOrg(q: Queryable, orgId: number): Promise<TenantRow | undefined> {
  const [row] = await q.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE grafana_org_id = $1`, [orgId]);
  return row;
}

export async function listTenants(q: Queryable): Promise<TenantRow[]> {
  return q.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY grafana_org_id`);
}
