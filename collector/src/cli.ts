#!/usr/bin/env node
/** `infrazen`: the collector's command line (serve, migrate, tenants, tokens, secrets, FOCUS import). */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from './config.js';
import {
  migrateCommand,
  secretsRotateCommand,
  tenantCreateCommand,
  tenantListCommand,
  tokenCreateCommand,
} from './cli/commands.js';
import { importFocusCommand } from './cli/import-focus.js';
import { serve } from './server.js';
import { VERSION } from './version.js';

const out = (line: string) => process.stdout.write(line + '\n');

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/**
 * Configuration is validated before any command runs; a bad value exits non-zero with the reason.
 * Relative paths are taken from where the user ran the command (npm sets INIT_CWD; `npm start` at the
 * repo root runs in collector/), so the default data dir is ./data of that directory.
 */
function config() {
  return loadConfig(process.env, process.env.INIT_CWD ?? process.cwd());
}

const program = new Command()
  .name('infrazen')
  .description('InfraZen collector: multi-cloud FinOps data for Grafana')
  .version(VERSION);

program
  .command('serve')
  .description('run the collector HTTP API and scheduler')
  .action(() => serve(config()));

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(() => migrateCommand(config(), out));

const tenant = program.command('tenant').description('tenants (one per Grafana organization)');
tenant
  .command('create')
  .description('create a tenant for a Grafana org and print its first API token')
  .requiredOption('--org <id>', 'Grafana organization id', positiveInt)
  .requiredOption('--name <name>', 'display name')
  .action((opts: { org: number; name: string }) => tenantCreateCommand(config(), out, opts));
tenant
  .command('list')
  .description('list tenants')
  .action(() => tenantListCommand(config(), out));

program
  .command('token')
  .description('API tokens')
  .command('create')
  .description('create an API token for a tenant and print it (shown once)')
  .option('--tenant <id>', 'tenant id')
  .option('--org <id>', 'or the Grafana organization id', positiveInt)
  .option('--name <name>', 'what the token is for', 'cli')
  .option(
    '--support',
    "let Grafana server admins read other tenants through it (X-Infrazen-Support-Tenant); put such a token only in the app plugin's settings, never in a datasource"
  )
  .action((opts: { tenant?: string; org?: number; name: string; support?: boolean }) => {
    if (!opts.tenant && opts.org === undefined) throw new InvalidArgumentError('give --tenant <id> or --org <id>');
    return tokenCreateCommand(config(), out, opts);
  });

program
  .command('import-focus')
  .description('import FOCUS CSV files (the parts of one export, .csv or .csv.gz) into a focus connection')
  .argument('<files...>', 'FOCUS CSV files, imported together in one transaction')
  .requiredOption('--connection <id>', 'the focus connection to import into')
  .option('--json', 'print the result as JSON')
  .action((files: string[], opts: { connection: string; json?: boolean }) =>
    importFocusCommand(config(), out, files, opts)
  );

program
  .command('secrets')
  .description('encrypted secrets')
  .command('rotate')
  .description('re-encrypt every stored secret under a new key')
  .action(() => secretsRotateCommand(config(), out));

program.parseAsync(process.argv).catch((err: Error) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`infrazen: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`infrazen: ${err.message}\n`);
  process.exit(1);
});
