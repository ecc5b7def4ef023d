import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROVIDERS } from '../../../../domain/providers.js';
import { describeProviders } from '../../../../services/provider-catalog.js';
import { authErrors } from '../../../schemas.js';

const jsonSchema = z.record(z.string(), z.unknown()).describe('JSON Schema (draft 2020-12) of the request field');

const providerSchema = z
  .object({
    provider: z.enum(PROVIDERS),
    syncs: z.boolean().describe('false: no provider API (FOCUS files are imported instead); test and sync answer so'),
    defaultBackfillDays: z.number().nullable(),
    credentials: jsonSchema.describe('JSON Schema of `credentials` for POST /connections (write-only values)'),
    settings: jsonSchema.describe('JSON Schema of `settings` for POST /connections (optional fields, defaults apply)'),
  })
  .describe('ProviderDescription');

/** The providers a connection can be made to, with the schemas the app plugin builds its forms from. */
const providers: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'List providers and their connection schemas',
        description:
          'Credential and settings fields per provider as JSON Schema, generated from the validation schemas of POST /connections.',
        response: { 200: z.object({ items: z.array(providerSchema) }), ...authErrors },
      },
    },
    async () => ({ items: describeProviders() })
  );
};

export default providers;
