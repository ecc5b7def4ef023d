/**
 * What a client needs to build a connection form per provider: the JSON Schema of its credentials and
 * settings, generated from the same zod schemas that validate them (one source of truth), and whether
 * the collector can test and sync it. Read-only and tenant-independent.
 */
import { z } from 'zod';
import { PROVIDERS, type Provider } from '../domain/providers.js';
import { providerRegistry } from '../providers/registry.js';

export type JsonSchema = Record<string, unknown>;

export interface ProviderDescription {
  provider: Provider;
  /** False for FOCUS: its costs come from uploaded files, so there is nothing to test or sync. */
  syncs: boolean;
  /** Default billing history of the first sync, in days (null without a connector). */
  defaultBackfillDays: number | null;
  credentials: JsonSchema;
  settings: JsonSchema;
}

/**
 * The input side of a schema ("what may I send"): transforms and defaults of URLs are server-side
 * details; refinements that span fields (Yandex: one of two auth methods) are not expressible in JSON
 * Schema and still answer 400 with details on create.
 */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

let cache: ProviderDescription[] | undefined;

export function describeProviders(): ProviderDescription[] {
  cache ??= PROVIDERS.map((provider) => {
    const entry = providerRegistry[provider];
    return {
      provider,
      syncs: entry.connector !== undefined,
      defaultBackfillDays: entry.connector?.defaultBackfillDays ?? null,
      credentials: inputSchema(entry.credentialsSchema),
      settings: inputSchema(entry.settingsSchema),
    };
  });
  return cache;
}
