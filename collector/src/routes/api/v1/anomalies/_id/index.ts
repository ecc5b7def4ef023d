import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { giveAnomalyFeedback } from '../../../../../analytics/anomaly-feedback.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { authErrors } from '../../../../schemas.js';
import { anomalyErrors, anomalySchema, feedbackBodySchema, idParamsSchema } from '../schemas.js';

/** Feedback on one anomaly. Other tenants' anomalies do not exist here (404). */
const anomaly: FastifyPluginAsyncZod = async (fastify) => {
  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['anomalies'],
        summary: 'Give feedback on an anomaly',
        description:
          'confirmed, false_positive (the day is left out of later baselines) or null to clear the feedback.',
        params: idParamsSchema,
        body: feedbackBodySchema,
        response: { 200: anomalySchema, ...anomalyErrors, ...authErrors },
      },
    },
    async (request) =>
      giveAnomalyFeedback(
        fastify.db,
        request.auth!.tenantId,
        request.params.id,
        request.body.feedback,
        auditActorOf(request)
      )
  );
};

export default anomaly;
