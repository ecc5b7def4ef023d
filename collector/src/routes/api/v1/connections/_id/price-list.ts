import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { vkcloudPriceListSchema } from '../../../../../providers/vkcloud/schema.js';
import { getPriceList, replacePriceList } from '../../../../../services/price-lists.js';
import { errorSchema } from '../../../../schemas.js';
import { auditActor, connectionErrors, connectionParamsSchema, serviceDeps } from '../schemas.js';

const priceListSchema = vkcloudPriceListSchema.describe(
  'PriceList: `flavors` — roubles per month for a running VM of the flavor; `volumeTypes` — roubles per GB-month. Amounts are decimal strings.'
);

/** A VK Cloud connection's price list (VK Cloud has no billing API; its costs come from here). */
const priceList: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/price-list',
    {
      schema: {
        tags: ['connections'],
        summary: "Get a VK Cloud connection's price list",
        params: connectionParamsSchema,
        response: { 200: priceListSchema, 409: errorSchema, ...connectionErrors },
      },
    },
    async (request) => getPriceList(serviceDeps(request), request.auth!.tenantId, request.params.id)
  );

  fastify.put(
    '/price-list',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['connections'],
        summary: "Replace a VK Cloud connection's price list",
        description:
          'Replaces the whole list (entries left out are removed); the next sync prices VMs by flavor and volumes by type and size with it. 409 for connections of other providers.',
        params: connectionParamsSchema,
        body: priceListSchema,
        response: { 200: priceListSchema, 409: errorSchema, ...connectionErrors },
      },
    },
    async (request) =>
      replacePriceList(
        serviceDeps(request),
        request.auth!.tenantId,
        request.params.id,
        request.body,
        auditActor(request)
      )
  );
};

export default priceList;
