/**
 * Fills every collection the API can create into, for one tenant, through the API itself: for each
 * `POST /api/v1/<collection>` with a JSON body, the schema's example or else the first of a few requests
 * generated from the schema that the API accepts. Entities other helpers add (budgets, rules, reports,
 * …) get rows without anyone listing them here.
 */
import fc from 'fast-check';
import type { As } from './actors.js';
import type { Operation } from './route-catalog.js';
import { exampleOf, validArbitrary, type JsonSchema } from './schema-arbitrary.js';
import type { World } from './world.js';

/** Collections filled another way (connections are synced, queries are reads). */
const SKIP = new Set(['/api/v1/connections', '/api/v1/query']);

export async function seedCollections(
  world: World,
  as: As,
  ops: Operation[],
  hints: { ids: string[]; from: string; to: string }
): Promise<{ created: string[]; refused: string[] }> {
  const created: string[] = [];
  const refused: string[] = [];
  const withHints = (schema: JsonSchema | undefined, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = { ...value };
    for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
      if (name === 'from' || name === 'to') out[name] = hints[name];
      else if (prop.format === 'uuid' && name in out && hints.ids.length) out[name] = hints.ids[0];
    }
    return out;
  };
  for (const op of ops) {
    if (op.method !== 'POST' || op.pathParams.length > 0 || !op.body || SKIP.has(op.url)) continue;
    const candidates = [
      exampleOf(op.body, true),
      exampleOf(op.body),
      ...fc.sample(validArbitrary(op.body), { numRuns: 30, seed: 7 }),
    ].map((body) => withHints(op.body, body));
    let ok = false;
    for (const body of candidates) {
      const res = await world.call(as, 'POST', op.url, body);
      await world.idle();
      if (res.statusCode < 300) {
        ok = true;
        break;
      }
    }
    (ok ? created : refused).push(op.url);
  }
  return { created, refused };
}
