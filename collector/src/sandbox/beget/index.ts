/**
 * The Beget fake: legacy `/api/…` and v1 `/v1/…` under one base URL, as api.beget.com serves them,
 * mounted by the sandbox under `/beget`.
 */
import type { FastifyInstance } from 'fastify';
import { begetSettingsSchema, type BegetCredentials, type BegetSettings } from '../../providers/beget/schema.js';
import type { FakeInit, ProviderFake } from '../types.js';
import { generateAccount, type BegetSandboxOptions } from './data.js';
import { legacyRoutes } from './legacy.js';
import { truthOf, type BegetTruth } from './truth.js';
import { v1Routes } from './v1.js';

export type { BegetSandboxOptions } from './data.js';
export type { BegetTruth, BegetTruthCloudService, BegetTruthPriced, BegetTruthServer } from './truth.js';

export const BEGET_PREFIX = '/beget';

export function createBegetFake(
  init: FakeInit & { options: BegetSandboxOptions }
): ProviderFake<BegetCredentials, BegetSettings, BegetTruth> {
  const { options } = init;
  const legacyMethodsPermitted = options.legacyMethodsPermitted ?? false;
  // Generated once against the clock at start-up: creation dates stay fixed while the sandbox runs.
  const data = generateAccount(init.seed, init.now(), options);

  return {
    prefix: BEGET_PREFIX,
    plugin: async (app: FastifyInstance) => {
      await legacyRoutes(app, { data, faults: init.faults, legacyMethodsPermitted });
      await v1Routes(app, {
        data,
        faults: init.faults,
        seed: init.seed,
        now: init.now,
        authRefusal: options.authRefusal,
      });
    },
    credentials: { login: data.login, password: data.password },
    settings: (origin) => begetSettingsSchema.parse({ apiUrl: `${origin}${BEGET_PREFIX}`, collectMetrics: true }),
    truth: truthOf(data, legacyMethodsPermitted),
  };
}
