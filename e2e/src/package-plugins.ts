/**
 * `npm run package`: one zip per built plugin, laid out as Grafana's installer and the plugin catalog
 * expect (`<plugin id>/` at the top holding dist/ as built, the convention of plugin-tools' release
 * workflow) and named `<id>-<version>.zip`. Entries are sorted and dated with the plugin's `updated`
 * day, so the same dist/ gives the same bytes. The zips are unsigned (signing needs grafana.com).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { ZipArchive } from 'archiver';

import { REPO_ROOT } from '../host/plugins.js';
import type { PluginJson } from '../host/types.js';

export const PLUGIN_DIRS = ['datasource-plugin', 'app-plugin'].map((p) => path.join(REPO_ROOT, p, 'dist'));
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'e2e', 'artifacts', 'packages');

export interface PluginPackage {
  id: string;
  version: string;
  zip: string;
  sha256: string;
  /** Paths inside dist/, posix separators, sorted. */
  files: string[];
}

export function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        throw new Error(`${relative}: symlinks are refused by Grafana's plugin installer`);
      }
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    })
    .sort();
}

export async function packagePlugin(distDir: string, outDir: string): Promise<PluginPackage> {
  const json = JSON.parse(fs.readFileSync(path.join(distDir, 'plugin.json'), 'utf8')) as PluginJson;
  const { id } = json;
  const { version, updated } = json.info;
  if (/%[A-Z_]+%/.test(JSON.stringify(json))) {
    throw new Error(`${id}: dist/plugin.json still has build placeholders; run the production build`);
  }
  const date = new Date(`${updated}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`${id}: info.updated "${updated}" is not a date`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const zip = path.join(outDir, `${id}-${version}.zip`);
  const files = listFiles(distDir);
  const dirs = [
    ...new Set(
      files.flatMap((f) =>
        f
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/'))
      )
    ),
  ].sort();

  const archive = new ZipArchive({ zlib: { level: 9 } });
  const output = fs.createWriteStream(zip);
  const written = new Promise<void>((resolve, reject) => {
    output.on('close', resolve);
    output.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(output);
  archive.append(Buffer.alloc(0), { name: `${id}/`, type: 'directory', date, mode: 0o755 });
  for (const dir of dirs) {
    archive.append(Buffer.alloc(0), { name: `${id}/${dir}/`, type: 'directory', date, mode: 0o755 });
  }
  for (const file of files) {
    // Buffers, not archive.file(): files are stat'ed asynchronously and could land out of order.
    archive.append(fs.readFileSync(path.join(distDir, file)), { name: `${id}/${file}`, date, mode: 0o644 });
  }
  await archive.finalize();
  await written;
  const sha256 = createHash('sha256').update(fs.readFileSync(zip)).digest('hex');
  return { id, version, zip, sha256, files };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: DEFAULT_OUT_DIR } }, strict: true });
  for (const dist of PLUGIN_DIRS) {
    const pkg = await packagePlugin(dist, path.resolve(values.out!));
    process.stdout.write(
      `${path.relative(process.cwd(), pkg.zip)}  sha256 ${pkg.sha256}  (${pkg.files.length} files)\n`
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
