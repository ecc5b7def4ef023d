import { TestDataSourceResponse } from '@grafana/data';
import { isFetchError } from '@grafana/runtime';
import type { FreshnessResponse, MeResponse } from '@infrazen/contract';

import { InfraZenApi } from './api';
import { describeError, isTokenRejected, responseMessage } from './errors';
import { formatAge, t } from './i18n';

/** Data older than this means the scheduler or the provider connections need a look. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

type Status = 'success' | 'warning' | 'error';

function result(status: Status, message: string, details?: string): TestDataSourceResponse {
  return details ? { status, message, details: { message: details } } : { status, message };
}

/** The collector's own reason for a degraded health answer (`{db: {error}}`), if it gave one. */
function degradedReason(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'db' in data) {
    const { db } = data as { db?: { error?: unknown } };
    return typeof db?.error === 'string' ? db.error : undefined;
  }
  return undefined;
}

async function checkReachable(api: InfraZenApi, url: string): Promise<TestDataSourceResponse | undefined> {
  try {
    await api.health();
    return undefined;
  } catch (err) {
    if (isFetchError<unknown>(err) && err.status === 503) {
      return result(
        'error',
        t('health.degraded', { reason: degradedReason(err.data) ?? responseMessage(err.data) ?? '503' })
      );
    }
    return result('error', t('health.unreachable', { url, detail: describeError(err).message }));
  }
}

async function checkToken(api: InfraZenApi): Promise<MeResponse | TestDataSourceResponse> {
  try {
    return await api.me();
  } catch (err) {
    // /me takes no input, so any 400 here is the data proxy's rewrite of the collector's 401.
    if (isFetchError<unknown>(err) && (isTokenRejected(err) || err.status === 400)) {
      return result('error', t('health.tokenRejected'));
    }
    if (isFetchError<unknown>(err) && err.status === 403) {
      return result('error', t('health.tokenForbidden'));
    }
    return result('error', t('health.meFailed', { detail: describeError(err).message }));
  }
}

/** Turns the freshness report into the test's verdict: failing connections first, then age. */
export function freshnessVerdict(tenant: string, freshness: FreshnessResponse, now: number): TestDataSourceResponse {
  if (freshness.connections === 0) {
    return result('warning', t('health.noConnections', { tenant }));
  }
  if (freshness.failing.length) {
    const list = freshness.failing.map((c) => (c.lastError ? `${c.name}: ${c.lastError}` : c.name)).join('; ');
    return result(
      'warning',
      t('health.failing', { tenant, count: freshness.failing.length, total: freshness.connections }),
      list
    );
  }
  if (!freshness.lastSyncAt) {
    return result('warning', t('health.neverSynced', { tenant, count: freshness.connections }));
  }
  const age = now - new Date(freshness.lastSyncAt).getTime();
  if (age > STALE_AFTER_MS) {
    return result('warning', t('health.stale', { tenant, age: formatAge(age) }));
  }
  return result('success', t('health.ok', { tenant, count: freshness.connections, age: formatAge(age) }));
}

/**
 * "Save & test": reachability (`/health`, no token needed), token validity (`/me`), then data freshness
 * (`/freshness`). Each step answers with what to fix; only the last one can end in a warning.
 */
export async function testCollector(
  api: InfraZenApi,
  url: string | undefined,
  now = Date.now()
): Promise<TestDataSourceResponse> {
  if (!url) {
    return result('error', t('health.noUrl'));
  }
  const unreachable = await checkReachable(api, url);
  if (unreachable) {
    return unreachable;
  }
  const me = await checkToken(api);
  if ('status' in me) {
    return me;
  }
  const tenant = me.tenant.name;
  try {
    return freshnessVerdict(tenant, await api.freshness(), now);
  } catch (err) {
    return result('warning', t('health.freshnessFailed', { tenant, detail: describeError(err).message }));
  }
}
