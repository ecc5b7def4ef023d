/**
 * Files the host serves besides its own bundle: the plugins' dist/ byte-for-byte (chunks carry SRI
 * hashes), and stand-ins for Grafana's core icons and fonts, which are not published on npm.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A file under `root`, or undefined for anything missing or outside it (`..`, absolute paths). */
export function readUnder(root: string, relative: string): StaticFile | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  const resolved = path.resolve(root, `.${path.posix.sep}${decoded}`);
  if (!resolved.startsWith(path.resolve(root) + path.sep)) {
    return undefined;
  }
  try {
    if (!fs.statSync(resolved).isFile()) {
      return undefined;
    }
    return { body: fs.readFileSync(resolved), contentType: contentType(resolved) };
  } catch {
    return undefined;
  }
}

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
}

let unicons: IconSet | undefined;

/** Grafana's icon `public/build/img/icons/<set>/<name>.svg` drawn from the Unicons set on npm. */
export function icon(name: string): StaticFile | undefined {
  unicons ??= require('@iconify-json/uil/icons.json') as IconSet;
  const set = unicons;
  const key = set.icons[name] ? name : set.aliases?.[name]?.parent;
  const found = key ? set.icons[key] : undefined;
  if (!found) {
    return undefined;
  }
  const width = found.width ?? set.width ?? 24;
  const height = found.height ?? set.height ?? 24;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${found.body}</svg>`;
  return { body: Buffer.from(svg), contentType: CONTENT_TYPES['.svg']! };
}

/** Grafana's font files (GlobalStyles/fonts) mapped to the same faces from @fontsource. */
const FONTS: Record<string, [pkg: string, file: string]> = {
  'inter/Inter-Regular.woff2': ['@fontsource/inter', 'inter-latin-400-normal.woff2'],
  'inter/Inter-Medium.woff2': ['@fontsource/inter', 'inter-latin-500-normal.woff2'],
  'inter/Inter-Italic.woff2': ['@fontsource/inter', 'inter-latin-400-italic.woff2'],
  'inter/Inter-MediumItalic.woff2': ['@fontsource/inter', 'inter-latin-500-italic.woff2'],
};

export function font(relative: string): StaticFile | undefined {
  const mapped = FONTS[relative];
  const [pkg, file] =
    mapped ?? (relative.startsWith('roboto/') ? ['@fontsource/roboto-mono', 'roboto-mono-latin-400-normal.woff2'] : []);
  if (!pkg || !file) {
    return undefined;
  }
  const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files');
  return readUnder(dir, file);
}
