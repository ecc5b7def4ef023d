/**
 * The Beget connector. Beget has two APIs that each hold part of the picture (reference 6.4): the
 * legacy `/api/…` (account, balance, plan, domains, hosting databases) and the v1 `/v1/…` (VPS, cloud
 * services, statistics). Both are read with the same login and password.
 */
import type { Connector } from '../types.js';
import { mapAccountInfo } from './mapper.js';
import { begetCredentialsSchema, begetSettingsSchema, type BegetCredentials, type BegetSettings } from './schema.js';
import { createApis, openSession } from './session.js';

export const begetConnector: Connector<BegetCredentials, BegetSettings> = {
  provider: 'beget',
  credentialsSchema: begetCredentialsSchema,
  settingsSchema: begetSettingsSchema,
  // Older days would only repeat today's prices further back (there is no billing history to read).
  defaultBackfillDays: 30,

  async test(ctx) {
    const { legacy, v1 } = createApis(ctx);
    // Both APIs, because a login can pass one and fail the other (2FA and IP locks apply to v1 only).
    await v1.authenticate();
    return mapAccountInfo(ctx.credentials.login, await legacy.call('user', 'getAccountInfo'));
  },

  open: (ctx) => openSession(ctx),
};
