/** Sample collector answers shared by page tests (shapes as in src/api/types.ts). */
import type { DataFrameJSON, QueryResponse } from '@infrazen/contract';

import type { Budget, Connection, Recommendation, RecommendationList, Resource, Snapshot } from '../api/types';

export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'c-beget',
    name: 'Beget main',
    provider: 'beget',
    credentialFields: ['login', 'password'],
    settings: {},
    schedule: null,
    enabled: true,
    status: 'ok',
    account: {},
    lastSyncAt: '2025-03-10T08:00:00Z',
    lastSyncStatus: 'success',
    lastError: null,
    nextSyncAt: '2025-03-10T09:00:00Z',
    createdAt: '2025-01-15T10:00:00Z',
    updatedAt: '2025-03-10T08:00:00Z',
    ...overrides,
  };
}

export function recommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    id: 'r1',
    kind: 'rightsize',
    title: 'Rightsize web-1 to 2 vCPU',
    action: 'Change the flavor of web-1 from 8 to 2 vCPU',
    status: 'open',
    statusReason: null,
    snoozedUntil: null,
    connectionId: 'c-beget',
    connectionName: 'Beget main',
    provider: 'beget',
    resourceId: 'res-1',
    resourceName: 'web-1',
    currentMonthlyCost: '12000.00',
    estimatedMonthlySavings: '6000.00',
    currency: 'RUB',
    confidence: 0.85,
    evidence: { cpuP95: 7.5, days: 30 },
    firstDetectedAt: '2025-03-01T00:00:00Z',
    lastDetectedAt: '2025-03-10T00:00:00Z',
    resolvedAt: null,
    ...overrides,
  };
}

export function recommendationList(items: Recommendation[]): RecommendationList {
  return {
    items,
    totals: {
      currency: 'RUB',
      potentialMonthlySavings: '10400.00',
      realizedMonthlySavings: '1500.00',
      byStatus: { open: { count: items.filter((i) => i.status === 'open').length, monthlySavings: '10400.00' } },
      byKind: {},
    },
  };
}

export function resource(overrides: Partial<Resource> = {}): Resource {
  return {
    id: 'res-1',
    connectionId: 'c-beget',
    provider: 'beget',
    providerResourceId: 'vps-101',
    name: 'web-1',
    type: 'server',
    region: 'ru-1',
    status: 'RUNNING',
    flags: { zombie: false, orphan: false },
    parentId: null,
    specs: { vcpus: 8, ramMb: 16384, diskGb: 100, ips: ['10.0.0.5'] },
    dailyCost: '400.10',
    monthlyCost: '12003.00',
    originalCost: '12003.00',
    costPeriod: 'month',
    costSource: 'billing',
    currency: 'RUB',
    serviceName: 'VPS',
    firstSeen: '2025-01-15T10:00:00Z',
    lastSeen: '2025-03-10T08:00:00Z',
    ...overrides,
  };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    id: 's1',
    connectionId: 'c-beget',
    trigger: 'manual',
    status: 'success',
    phase: 8,
    phaseName: 'completion',
    phases: [],
    startedAt: '2025-03-10T08:00:00Z',
    completedAt: '2025-03-10T08:01:30Z',
    durationMs: 90_000,
    counts: { found: 12, created: 1, updated: 2, deleted: 1, unchanged: 8 },
    totalDailyCost: '1200.50',
    totalMonthlyCost: '36015.00',
    currency: 'RUB',
    resourcesByType: { server: 4 },
    resourcesByStatus: { RUNNING: 3 },
    endpointErrors: [],
    errorMessage: null,
    ...overrides,
  };
}

/** A POST /query answer with one frame of single-value number fields (the cost_summary shape). */
export function kpiResponse(refId: string, values: Record<string, number | null>, currency = 'RUB'): QueryResponse {
  const frame: DataFrameJSON = {
    schema: {
      refId,
      fields: Object.keys(values).map((name) => ({ name, type: 'number' as const })),
      meta: { custom: { currency } },
    },
    data: { values: Object.values(values).map((v) => [v]) },
  };
  return { results: { [refId]: { frames: [frame] } } };
}

/** GET /providers for Beget and FOCUS, as the collector generates them from its zod schemas. */
export const PROVIDERS = [
  {
    provider: 'beget' as const,
    syncs: true,
    defaultBackfillDays: 90,
    credentials: {
      type: 'object',
      properties: {
        login: { type: 'string', minLength: 1, maxLength: 200 },
        password: { type: 'string', minLength: 1, maxLength: 4096 },
      },
      required: ['login', 'password'],
    },
    settings: {
      type: 'object',
      properties: {
        backfillDays: { type: 'integer', minimum: 1, maximum: 400 },
        collectMetrics: { default: true, type: 'boolean' },
        apiUrl: { type: 'string', format: 'uri' },
      },
    },
  },
  {
    provider: 'focus' as const,
    syncs: false,
    defaultBackfillDays: null,
    credentials: { type: 'object', properties: {} },
    settings: { type: 'object', properties: { sourceProvider: { type: 'string', maxLength: 100 } } },
  },
];

export function budget(overrides: Partial<Budget> = {}): Budget {
  return {
    id: 'b1',
    name: 'Cloud, monthly',
    amount: '150000.00',
    currency: 'RUB',
    period: 'monthly',
    scope: { kind: 'tenant' },
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    status: {
      periodStart: '2025-03-01T00:00:00Z',
      periodEnd: '2025-03-31T23:59:59Z',
      actual: '123000.00',
      forecast: '165000.00',
      usedPercent: 82,
      forecastPercent: 110,
      burnRatePerDay: '5500.00',
      state: 'warning',
      crossed: [
        { kind: 'actual', threshold: 80 },
        { kind: 'forecast', threshold: 100 },
      ],
    },
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}
