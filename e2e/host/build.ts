/**
 * Bundles the host page (host/browser/) with esbuild: the host's own code plus every module it shares
 * with the plugins (React, @grafana/*, rxjs, …) from this repository's node_modules, i.e. the versions
 * the plugins were built against.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const HOST_DIR = fileURLToPath(new URL('.', import.meta.url));
export const BUNDLE_DIR = path.join(HOST_DIR, 'dist');

/**
 * @grafana/ui keeps its own @emotion/css; plugins get that copy, so that their css() classes and
 * @grafana/ui's share one emotion cache, as in Grafana.
 */
function emotionCssOfGrafanaUi(): string {
  const ui = path.dirname(require.resolve('@grafana/ui/package.json'));
  const uiRequire = createRequire(path.join(ui, 'package.json'));
  return path.dirname(uiRequire.resolve('@emotion/css/package.json'));
}

/** A file inside @grafana/runtime's ESM build that its package exports do not expose. */
function runtimeFile(relative: string): string {
  const index = require.resolve('@grafana/runtime').replace(/cjs\/index\.cjs$/, 'esm/index.mjs');
  return path.join(path.dirname(index), relative);
}

const STAMP = path.join(BUNDLE_DIR, '.inputs');

/** What the bundle is made of: the host's browser sources and the installed package versions. */
function inputsDigest(): string {
  const hash = createHash('sha256').update(esbuild.version);
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      .sort();
  for (const file of [
    ...files(path.join(HOST_DIR, 'browser')),
    ...files(HOST_DIR).filter((f) => f.endsWith('.ts') && path.dirname(f) === HOST_DIR),
    path.join(HOST_DIR, '..', '..', 'package-lock.json'),
  ]) {
    hash.update(file).update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/** Builds the bundle unless the one in host/dist was made from the same inputs. */
export async function ensureHostBundle(): Promise<void> {
  const digest = inputsDigest();
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === digest) {
    return;
  }
  await buildHostBundle();
  fs.writeFileSync(STAMP, digest);
}

export async function buildHostBundle(): Promise<{ outdir: string; files: string[] }> {
  const result = await esbuild.build({
    entryPoints: { host: path.join(HOST_DIR, 'browser', 'main.tsx') },
    outdir: BUNDLE_DIR,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'error',
    loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
    assetNames: 'assets/[name]-[hash]',
    alias: {
      '@emotion/css': emotionCssOfGrafanaUi(),
      'grafana-runtime-plugin-page': runtimeFile('components/PluginPage.mjs'),
    },
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'window',
      // The AMD loader defines a global `define`; UMD code inside the bundle must not register with it.
      define: 'undefined',
    },
  });
  return { outdir: BUNDLE_DIR, files: Object.keys(result.metafile.outputs) };
}
