/**
 * Schemas of the sync, snapshot and resource routes (autoload skips files named *schemas.ts).
 */
import { z } from 'zod';
import { PROVIDERS } from '../../../domain/providers.js';
import { RESOURCE_STATUSES, RESOURCE_TYPES } from '../../../providers/types.js';

const money = z.string().nullable().describe('decimal string in `currency`');

export const phaseSchema = z.object({
  phase: z.number(),
  name: z.string(),
  status: z.enum(['running', 'done', 'failed', 'skipped']),
  startedAt: z.string(),
  durationMs: z.number().optional(),
  counts: z.record(z.string(), z.number()).optional(),
  message: z.string().optional(),
});

export const endpointErrorSchema = z.object({
  endpoint: z.string(),
  region: z.string().optional(),
  kind: z.string(),
  message: z.string(),
});

export const snapshotSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    trigger: z.string(),
    status: z.enum(['running', 'success', 'partial', 'error', 'interrupted', 'cancelled', 'queued']),
    phase: z.number(),
    phaseName: z.string().nullable(),
    phases: z.array(phaseSchema),
    startedAt: z.date(),
    completedAt: z.date().nullable(),
    durationMs: z.number().nullable(),
    windowStart: z.date().nullable(),
    windowEnd: z.date().nullable(),
    scheduledFor: z.date().nullable(),
    instance: z.string().nullable(),
    counts: z.object({
      found: z.number(),
      created: z.number(),
      updated: z.number(),
      deleted: z.number(),
      unchanged: z.number(),
    }),
    totalDailyCost: money,
    totalMonthlyCost: money,
    currency: z.string().nullable(),
    resourcesByType: z.record(z.string(), z.number()),
    resourcesByStatus: z.record(z.string(), z.number()),
    endpointErrors: z.array(endpointErrorSchema),
    errorMessage: z.string().nullable(),
    linesWritten: z.number(),
    metricsWritten: z.number(),
    stats: z.record(z.string(), z.unknown()),
  })
  .describe('Snapshot');

export const stateSchema = z.object({
  resourceId: z.string().nullable(),
  providerResourceId: z.string(),
  resourceType: z.string(),
  resourceName: z.string(),
  action: z.enum(['created', 'updated', 'deleted', 'unchanged']),
  changes: z.record(z.string(), z.unknown()),
  previousState: z.record(z.string(), z.unknown()).nullable(),
  currentState: z.record(z.string(), z.unknown()).nullable(),
  status: z.string().nullable(),
  dailyCost: money,
  currency: z.string().nullable(),
  hasCostChange: z.boolean(),
  hasStatusChange: z.boolean(),
  hasConfigChange: z.boolean(),
});

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const resourceQuerySchema = z.strictObject({
  provider: z.enum(PROVIDERS).optional(),
  connection: z.uuid({ error: 'must be a UUID' }).optional(),
  type: z.enum(RESOURCE_TYPES).optional(),
  status: z.enum(RESOURCE_STATUSES).optional(),
  flag: z.enum(['zombie', 'orphan']).optional(),
  q: z.string().trim().min(1).max(200).optional().describe('substring of the name or provider id'),
  ...pageQuery,
});

export const resourceSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    provider: z.string(),
    providerResourceId: z.string(),
    name: z.string(),
    type: z.string(),
    region: z.string().nullable(),
    status: z.string(),
    flags: z.object({ zombie: z.boolean(), orphan: z.boolean() }),
    parentId: z.string().nullable().describe('the VM a folded volume belongs to; its cost is inside the VM'),
    specs: z.record(z.string(), z.unknown()),
    dailyCost: money.describe('daily cost baseline; for a VM, compute plus its volumes'),
    monthlyCost: money,
    originalCost: money.describe('the amount the baseline came from, per costPeriod'),
    costPeriod: z.string().nullable(),
    costSource: z.string().nullable().describe('billing | price (provider-stated) | list (reference price list)'),
    currency: z.string().nullable(),
    serviceName: z.string().nullable(),
    firstSeen: z.date(),
    lastSeen: z.date(),
  })
  .describe('Resource');
