import closeWithGrace from 'close-with-grace';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import app, { fastifyOptions } from './app.js';
import type { Config } from './config.js';
import { createLogger } from './observability/logger.js';
import { createRuntime, type Runtime } from './runtime.js';
import { startDemo } from './demo/bootstrap.js';
import { ensureBootstrapTenant } from './services/tenancy.js';

/** The fastify instance over a runtime; tests call this with their own runtime. */
export async function buildServer(runtime: Runtime) {
  const fastify = Fastify({
    ...fastifyOptions,
    loggerInstance: runtime.logger,
  }).withTypeProvider<ZodTypeProvider>();
  await fastify.register(app, runtime);
  return fastify;
}

function printBootstrapToken(token: string) {
  // Printed straight to the terminal, once, and never through the logger (logs get shipped).
  process.stdout.write(
    [
      '',
      '  InfraZen: the bootstrap tenant (Grafana org 1) was created with this API token.',
      '  It is shown only now; put it in the datasource and app settings in Grafana:',
      '',
      `    ${token}`,
      '',
      '',
    ].join('\n')
  );
}

/** `infrazen serve`: start everything, finish start-up when the database is there, stop gracefully. */
export async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const runtime = await createRuntime(config, logger, 'server');
  let fastify: Awaited<ReturnType<typeof buildServer>>;
  try {
    fastify = await buildServer(runtime);
  } catch (err) {
    await runtime.close();
    throw err;
  }
  fastify.addHook('onClose', async () => runtime.close());

  closeWithGrace({ delay: 10_000, logger: { error: (m: unknown) => logger.error(m) } }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await fastify.close();
  });

  try {
    await fastify.listen({ host: config.host, port: config.port });
  } catch (err) {
    await fastify.close();
    throw err;
  }

  // An external database may come up after us (docker compose): keep serving "degraded" meanwhile.
  void runtime.dbState
    .initialize(async () => {
      const { generatedToken } = await ensureBootstrapTenant(runtime.connection.db, config.bootstrapToken);
      if (generatedToken) printBootstrapToken(generatedToken);
      await runtime.syncs.recoverInterrupted();
      logger.info({ mode: runtime.dbState.mode, embedded: runtime.dbState.embedded }, 'collector ready');
    })
    // The demo is an add-on: if it cannot start, the collector still serves (and says why).
    .then(async () => {
      if (!config.demo) return;
      try {
        const demo = await startDemo(runtime);
        runtime.onClose = () => demo.sandbox.close();
      } catch (err) {
        logger.error({ err }, 'the demo could not start');
      }
    })
    .then(() => runtime.scheduler.start())
    .catch((err: Error) => logger.error({ err: err.message }, 'database initialisation stopped'));
}
