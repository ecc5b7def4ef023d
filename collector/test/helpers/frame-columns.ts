/** Query API answers in tests: one query's result, a frame's column by field name, its meta.custom. */
import assert from 'node:assert/strict';
import type { DataFrameJSON, QueryResponse, QueryResult } from '../../src/contract/query.js';
import type { buildTestApp } from './app.js';

type TestApp = Awaited<ReturnType<typeof buildTestApp>>['app'];

/** Values are typed by the caller (numbers by default); a missing frame or field fails the test. */
export function column<T = number>(frame: DataFrameJSON | undefined, name: string): T[] {
  if (!frame) throw new Error(`no frame (looking for ${name})`);
  const index = frame.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`no field ${name} in ${frame.schema.fields.map((f) => f.name).join(', ')}`);
  return frame.data.values[index] as T[];
}

export function customOf<T>(frame: DataFrameJSON | undefined): T {
  return frame?.schema.meta?.custom as T;
}

/** Runs one query through `POST /api/v1/query` and answers its result (the request itself must be 200). */
export async function queryOne(
  app: TestApp,
  token: string,
  range: { from: string | number; to: string | number },
  query: Record<string, unknown>
): Promise<QueryResult> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: { authorization: `Bearer ${token}` },
    payload: { ...range, queries: [{ refId: 'A', ...query }] },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as QueryResponse).results.A!;
}
