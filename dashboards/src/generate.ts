/**
 * Writes dashboards/*.json from the typed definitions, formatted by the repository's prettier config so
 * `prettier --check` agrees. `--check` writes nothing and fails when a committed file differs from what
 * the code generates (collector/test/dashboards.test.ts runs it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { DASHBOARDS } from './index.js';

const OUT_DIR = fileURLToPath(new URL('..', import.meta.url));

export async function render(file: string, dashboard: unknown): Promise<string> {
  const target = path.join(OUT_DIR, file);
  const options = (await resolveConfig(target)) ?? {};
  return format(JSON.stringify(dashboard), { ...options, filepath: target });
}

async function main() {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { file, dashboard } of DASHBOARDS) {
    const target = path.join(OUT_DIR, file);
    const text = await render(file, dashboard);
    if (check) {
      const current = await readFile(target, 'utf8').catch(() => '');
      if (current !== text) stale.push(file);
    } else {
      await writeFile(target, text);
    }
  }
  if (stale.length) {
    process.stderr.write(`dashboards out of date (run npm run build -w dashboards): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(`wrote ${DASHBOARDS.length} dashboards to ${OUT_DIR}\n`);
  }
}

await main();
