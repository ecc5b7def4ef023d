/** What every provider fake in the sandbox offers. */
import type { FastifyPluginAsync } from 'fastify';
import type { FaultSwitchboard } from './faults.js';

export interface FakeInit {
  seed: number;
  /** The sandbox clock: data up to this moment exists (demo: real time; tests: pinned). */
  now: () => Date;
  faults: FaultSwitchboard;
}

export interface ProviderFake<C, S, T> {
  /** URL prefix the fake is mounted under, e.g. `/beget`. */
  prefix: string;
  plugin: FastifyPluginAsync;
  /** Credentials the fake accepts (demo connections use them; tests also try wrong ones). */
  credentials: C;
  /** Connector settings pointing at this fake, given the sandbox origin (`http://127.0.0.1:port`). */
  settings(origin: string): S;
  /** The generated account's known truth, for tests to check sync results against. */
  truth: T;
}
