import fp from 'fastify-plugin';

/** A UTF-16 surrogate without its partner: what a JSON `\ud800` escape decodes to. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string in a JSON value that is not valid Unicode, if any. */
function badStringPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '/' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = badStringPath(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, v] of Object.entries(value)) {
      const found = badStringPath(key, `${path}/${key}`) ?? badStringPath(v, `${path}/${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * JSON bodies may carry `\ud800`-style escapes that decode to lone surrogates: no valid text holds one,
 * and PostgreSQL refuses them in jsonb (a 500 from deep inside a repository). They are the client's
 * mistake, so they are refused up front as a 400 naming the field (found by the fuzz suite).
 */
export default fp(
  async (fastify) => {
    fastify.addHook('preValidation', async (request) => {
      const path = badStringPath(request.body, '');
      if (path) {
        throw Object.assign(new Error(`Invalid body: ${path} is not valid Unicode text (an unpaired surrogate)`), {
          statusCode: 400,
        });
      }
    });
  },
  { name: 'unicode' }
);
