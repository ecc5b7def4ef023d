/**
 * Every /api/v1 operation of the running app with its request schemas: the route list comes from the
 * app's own catalog (plugins/actor.ts, filled by an onRoute hook, so routes without an OpenAPI entry are
 * there too) and the schemas from the OpenAPI document the swagger plugin generates from the routes' zod
 * schemas. Nothing is listed by hand: an endpoint added tomorrow is in the list.
 */
import type { FastifyInstance } from 'fastify';
import { routeAccessOf, type RouteAccess } from '../../src/plugins/actor.js';
import type { buildTestApp } from './app.js';
import type { JsonSchema } from './schema-arbitrary.js';

export interface Parameter {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Operation extends RouteAccess {
  /** `GET /api/v1/connections/:id` */
  key: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** JSON request body schema, when the route declares one. */
  body?: JsonSchema;
  /** Whether the OpenAPI document describes the route (it has zod schemas). */
  documented: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

type TestApp = Awaited<ReturnType<typeof buildTestApp>>['app'];

export async function openApiDocument(app: TestApp) {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  if (res.statusCode !== 200) throw new Error(`the OpenAPI document answered ${res.statusCode}`);
  return res.json() as { paths: Record<string, Record<string, OpenApiOperation>> };
}

export async function apiOperations(app: TestApp): Promise<Operation[]> {
  const doc = await openApiDocument(app);
  // The catalog is kept per HTTP server; the app's own type provider does not matter for reading it.
  const routes = routeAccessOf(app as unknown as FastifyInstance);
  if (routes.length === 0) throw new Error('the route catalog is empty (plugins/actor.ts not loaded?)');
  return routes.map((route) => {
    const openApiPath = route.url.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const op = doc.paths[openApiPath]?.[route.method.toLowerCase()];
    const params = op?.parameters ?? [];
    const declared = (where: string) =>
      params
        .filter((p) => p.in === where)
        .map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true }));
    const pathNames = [...route.url.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);
    const pathParams = pathNames.map(
      (name) => declared('path').find((p) => p.name === name) ?? { name, schema: { type: 'string' }, required: true }
    );
    return {
      ...route,
      key: `${route.method} ${route.url}`,
      pathParams,
      query: declared('query'),
      body: op?.requestBody?.content?.['application/json']?.schema,
      documented: op !== undefined,
    };
  });
}

/** A concrete URL: path parameters filled (encoded), query parameters appended (arrays repeated). */
export function urlOf(
  op: Pick<Operation, 'url'>,
  pathValues: Record<string, string>,
  query: Record<string, unknown> = {}
): string {
  const path = op.url.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => safeEncode(pathValues[name] ?? ''));
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      parts.push(`${safeEncode(key)}=${safeEncode(text)}`);
    }
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** encodeURIComponent, with lone surrogates (which it refuses) replaced. */
function safeEncode(text: string): string {
  return encodeURIComponent(wellFormed(text));
}

/** The string with lone UTF-16 surrogates replaced by U+FFFD (String#toWellFormed, for Node 20's lib). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
