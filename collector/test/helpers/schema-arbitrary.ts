/**
 * fast-check arbitraries from the API's own JSON schemas (the OpenAPI document the swagger plugin builds
 * from the routes' zod schemas, or `z.toJSONSchema`): values that follow the schema, and "hostile" ones
 * where any node may instead be of the wrong type, an injection string, a huge or odd string.
 * Covers the subset zod emits (OpenAPI 3.0 `nullable` and boolean `exclusiveMinimum`, and draft 2020-12).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  default?: unknown;
}

/** SQL injection attempts: each would visibly change or break something if it were ever executed. */
export const SQL_INJECTIONS = [
  `' OR '1'='1`,
  `'; DROP TABLE fuzz_canary; --`,
  `1; DELETE FROM fuzz_canary`,
  `') ; UPDATE tenants SET name = 'pwned' ; --`,
  `" OR 1=1 --`,
  `' UNION SELECT id::text, name FROM tenants --`,
  `$$; DROP TABLE fuzz_canary; $$`,
  `\\'; TRUNCATE cost_records; --`,
  `1) OR (SELECT pg_sleep(0)) IS NULL --`,
];

/** Path traversal and other path tricks. */
export const PATH_TRAVERSALS = [
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '....//....//etc/passwd',
  '/etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  'file:///etc/passwd',
];

export const HOSTILE_STRINGS = [
  ...SQL_INJECTIONS,
  ...PATH_TRAVERSALS,
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  '2026-02-30T25:61:00Z',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '\u202e\ud83d\ude00\u0301',
  '\ud800',
  'x'.repeat(5000),
];

const MAX_ARRAY = 4;
const MAX_STRING = 40;

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...HOSTILE_STRINGS)
        .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity)),
    }
  );
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = schema.exclusiveMinimum;
  const exclusiveMax = schema.exclusiveMaximum;
  let min = typeof exclusiveMin === 'number' ? exclusiveMin : (schema.minimum ?? -1e9);
  let max = typeof exclusiveMax === 'number' ? exclusiveMax : (schema.maximum ?? 1e9);
  const openMin = exclusiveMin === true || typeof exclusiveMin === 'number';
  const openMax = exclusiveMax === true || typeof exclusiveMax === 'number';
  if (integer) {
    min = Math.max(Number.MIN_SAFE_INTEGER, Math.ceil(openMin ? min + 1 : min));
    max = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(openMax ? max - 1 : max));
    // Boundaries first: limits are where off-by-one bugs live.
    return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
  }
  return fc.double({ min, max, minExcluded: openMin, maxExcluded: openMax, noNaN: true, noDefaultInfinity: true });
}

/** Values that follow the schema (as far as JSON Schema can say: zod refinements may still refuse them). */
export function validArbitrary(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 2 });
  const base = validNonNull(schema, depth);
  return schema.nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

function validNonNull(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validArbitrary(s, depth)));
  if (schema.allOf?.length) return validArbitrary(Object.assign({}, ...schema.allOf) as JsonSchema, depth);
  const options = types(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return stringArb(schema);
      case 'integer':
        return numberArb(schema, true);
      case 'number':
        return numberArb(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(validArbitrary(schema.items, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ARRAY, MAX_ARRAY)),
        });
      case 'object':
        return objectArb(schema, depth, validArbitrary);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  });
  return options.length === 0 ? fc.jsonValue({ maxDepth: 2 }) : fc.oneof(...options);
}

function objectArb(
  schema: JsonSchema,
  depth: number,
  child: (s: JsonSchema | undefined, depth: number) => fc.Arbitrary<unknown>
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const known = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, child(s, depth + 1)])),
    { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }
  );
  const extra = schema.additionalProperties;
  if (extra === false || extra === undefined || depth > 2) return known;
  const extraValue = extra === true ? undefined : extra;
  return fc
    .tuple(known, fc.dictionary(fc.string({ maxLength: 12 }), child(extraValue, depth + 1), { maxKeys: 3 }))
    .map(([k, e]) => ({ ...e, ...k }));
}

/** Anything at all, for the nodes a hostile value replaces. */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), [], {}),
  fc.jsonValue({ maxDepth: 2 })
);

/** Like validArbitrary, but any node (the whole value included) may be replaced by something hostile. */
export function hostileArbitrary(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return anything;
  let inner: fc.Arbitrary<unknown>;
  if (types(schema).includes('object') && !schema.anyOf && !schema.oneOf) {
    inner = objectArb(schema, depth, hostileArbitrary);
  } else if (types(schema).includes('array') && schema.items) {
    inner = fc.array(hostileArbitrary(schema.items, depth + 1), { maxLength: MAX_ARRAY });
  } else {
    inner = validArbitrary(schema, depth);
  }
  return fc.oneof({ weight: 3, arbitrary: inner }, { weight: 1, arbitrary: anything });
}

/**
 * One small valid value, deterministic: defaults and first enum values, minimal strings — the baseline a
 * single hostile parameter is swapped into. `full` also fills optional properties and gives arrays one
 * item, so that every string position of the schema exists in the example.
 */
export function exampleOf(schema: JsonSchema | undefined, full = false): unknown {
  if (!schema) return {};
  if (schema.default !== undefined && !full) return schema.default;
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return exampleOf(union.find((s) => types(s).includes('string')) ?? union[0], full);
  const [type] = types(schema);
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email') return 'finops@example.com';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.pattern) return fc.sample(stringArb(schema), { numRuns: 1, seed: 1 })[0];
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, full ? 1 : 0) }, () => exampleOf(schema.items, full));
    case 'object': {
      const keys = full ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
      return Object.fromEntries(keys.map((key) => [key, exampleOf(schema.properties?.[key], full)] as const));
    }
    default:
      return null;
  }
}

/** Every string-valued position of a value, as paths (for swapping one hostile string into each). */
export function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

/** A copy of `value` with the node at `path` replaced. */
export function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}
