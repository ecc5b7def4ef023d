/**
 * The provider sandbox: local HTTP fakes of the provider APIs (real paths, auth, envelopes, quirks;
 * PROVIDERS.md), generated deterministically from a seed, with fault switches. Imported only by tests,
 * benchmarks and the demo bootstrap — never by a connector (DESIGN.md §8).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { BegetCredentials, BegetSettings } from '../providers/beget/schema.js';
import type { CloudruCredentials, CloudruSettings } from '../providers/cloudru/schema.js';
import type { SelectelCredentials, SelectelSettings } from '../providers/selectel/schema.js';
import type { VkcloudCredentials, VkcloudSettings } from '../providers/vkcloud/schema.js';
import type { YandexCredentials, YandexSettings } from '../providers/yandex/schema.js';
import { createBegetFake, type BegetSandboxOptions, type BegetTruth } from './beget/index.js';
import { createCloudruFake, type CloudruSandboxOptions, type CloudruTruth } from './cloudru/index.js';
import { FaultSwitchboard } from './faults.js';
import { createSelectelFake, type SelectelSandboxOptions, type SelectelTruth } from './selectel/index.js';
import type { ProviderFake } from './types.js';
import { createVkcloudFake, type VkcloudSandboxOptions, type VkcloudTruth } from './vkcloud/index.js';
import { createYandexFake, type YandexSandboxOptions, type YandexTruth } from './yandex/index.js';

export interface SandboxOptions {
  seed?: number;
  now?: () => Date;
  host?: string;
  port?: number;
  beget?: BegetSandboxOptions;
  selectel?: SelectelSandboxOptions;
  yandex?: YandexSandboxOptions;
  cloudru?: CloudruSandboxOptions;
  vkcloud?: VkcloudSandboxOptions;
}

export interface Sandbox {
  origin: string;
  faults: FaultSwitchboard;
  beget: { credentials: BegetCredentials; settings: BegetSettings; truth: BegetTruth };
  selectel: { credentials: SelectelCredentials; settings: SelectelSettings; truth: SelectelTruth };
  yandex: { credentials: YandexCredentials; settings: YandexSettings; truth: YandexTruth };
  cloudru: { credentials: CloudruCredentials; settings: CloudruSettings; truth: CloudruTruth };
  vkcloud: { credentials: VkcloudCredentials; settings: VkcloudSettings; truth: VkcloudTruth };
  close(): Promise<void>;
}

export const DEFAULT_SANDBOX_SEED = 20251010;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const init = {
    seed: options.seed ?? DEFAULT_SANDBOX_SEED,
    now: options.now ?? (() => new Date()),
    faults: new FaultSwitchboard(),
  };
  const beget = createBegetFake({ ...init, options: options.beget ?? {} });
  const selectel = createSelectelFake({ ...init, options: options.selectel ?? {} });
  const yandex = createYandexFake({ ...init, options: options.yandex ?? {} });
  const cloudru = createCloudruFake({ ...init, options: options.cloudru ?? {} });
  const vkcloud = createVkcloudFake({ ...init, options: options.vkcloud ?? {} });

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  init.faults.install(app);
  for (const fake of [beget, selectel, yandex, cloudru, vkcloud] as ProviderFake<unknown, unknown, unknown>[]) {
    await app.register(fake.plugin, { prefix: fake.prefix });
  }
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('sandbox did not bind a TCP port');
  const origin = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    origin,
    faults: init.faults,
    beget: { credentials: beget.credentials, settings: beget.settings(origin), truth: beget.truth },
    selectel: { credentials: selectel.credentials, settings: selectel.settings(origin), truth: selectel.truth },
    yandex: { credentials: yandex.credentials, settings: yandex.settings(origin), truth: yandex.truth },
    cloudru: { credentials: cloudru.credentials, settings: cloudru.settings(origin), truth: cloudru.truth },
    vkcloud: { credentials: vkcloud.credentials, settings: vkcloud.settings(origin), truth: vkcloud.truth },
    close: () => app.close(),
  };
}
