/**
 * What Grafana (and its plugin catalog) reads from each built plugin: dist/plugin.json with the build
 * placeholders substituted, a Grafana range the pinned SDK satisfies, routes that carry roles, includes
 * and logos that exist, a module.js whose AMD dependencies Grafana provides and whose chunk hashes match
 * the chunks; and the zip as Grafana's installer expects it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Readable } from 'node:stream';

import semver from 'semver';
import yauzl from 'yauzl';

import { LOADER_MODULES, SHARED_MODULE_NAMES } from '../host/externals.js';
import { amdDependencies, loadPlugin, REPO_ROOT } from '../host/plugins.js';
import { ORG_ROLES } from '../host/proxy.js';
import type { PluginJson } from '../host/types.js';
import { listFiles, packagePlugin } from '../src/package-plugins.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*'];
const E2E_PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'e2e', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

async function readZip(file: string): Promise<Map<string, Buffer | null>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const entries = new Map<string, Buffer | null>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) {
        entries.set(entry.fileName, null);
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of (await zip.openReadStreamPromise(entry)) as Readable) {
        chunks.push(chunk as Buffer);
      }
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return entries;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infrazen-e2e-package-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

for (const workspace of ['datasource-plugin', 'app-plugin']) {
  const root = path.join(REPO_ROOT, workspace);
  const dist = path.join(root, 'dist');
  const source = JSON.parse(fs.readFileSync(path.join(root, 'src', 'plugin.json'), 'utf8')) as PluginJson;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };

  describe(`${workspace}: dist/`, () => {
    const raw = fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8');
    const json = JSON.parse(raw) as PluginJson;

    it('plugin.json: id and type from the source, placeholders substituted, version and date set', () => {
      assert.equal(json.id, source.id);
      assert.equal(json.type, source.type);
      assert.match(json.id, /^[a-z0-9]+(-[a-z0-9]+)*-(app|datasource)$/, 'Grafana’s <org>-<name>-<type> id');
      assert.ok(json.id.endsWith(`-${json.type}`));
      assert.doesNotMatch(raw, /%[A-Z_]+%/, 'no %VERSION%, %TODAY% or %PLUGIN_ID% left');
      assert.equal(json.info.version, pkg.version);
      assert.match(json.info.updated, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(!Number.isNaN(Date.parse(json.info.updated)));
    });

    it('grafanaDependency is a range the pinned Grafana SDK satisfies', () => {
      const range = json.dependencies?.grafanaDependency ?? '';
      assert.ok(semver.validRange(range), `"${range}" is a semver range`);
      const sdk = pkg.dependencies['@grafana/data']!;
      assert.ok(semver.satisfies(sdk, range), `@grafana/data ${sdk} satisfies ${range}`);
    });

    it('routes: each has a method and a Grafana org role, and the test host can emulate it', () => {
      const routes = (json.routes ?? []) as { path: string; method?: string; reqRole?: string }[];
      assert.ok(routes.length > 0, 'the plugin reaches the collector through routes');
      for (const route of routes) {
        assert.ok(METHODS.includes(route.method ?? '*'), `${route.path}: method ${route.method}`);
        assert.ok((ORG_ROLES as readonly string[]).includes(route.reqRole ?? ''), `${route.path}: reqRole`);
        assert.notEqual(route.reqRole, 'None');
      }
      assert.doesNotThrow(() => loadPlugin(dist));
    });

    it('includes: pages inside the app, dashboards that exist in dist/, roles that exist', () => {
      for (const include of json.includes ?? []) {
        if (include.role !== undefined) {
          assert.ok((ORG_ROLES as readonly string[]).includes(include.role), `${include.name}: role`);
        }
        if (include.type === 'page') {
          assert.ok(
            include.path?.startsWith(`/a/${json.id}/`) || include.path === `/plugins/${json.id}`,
            `${include.name}: ${include.path} is one of the app's pages`
          );
        } else if (include.type === 'dashboard') {
          const file = path.join(dist, include.path ?? '');
          assert.ok(fs.existsSync(file), `${include.name}: ${include.path} is in dist/`);
          const dashboard = JSON.parse(fs.readFileSync(file, 'utf8')) as { uid?: string; title?: string };
          assert.ok(dashboard.uid && dashboard.title, `${include.path} has a uid and a title`);
        } else {
          assert.fail(`${include.name}: include type ${include.type} is not expected here`);
        }
      }
      if (json.type === 'app') {
        assert.ok(
          json.includes?.some((i) => i.type === 'page' && i.defaultNav),
          'one page is the default nav'
        );
      }
    });

    it('ships its logos, README, LICENSE and CHANGELOG', () => {
      for (const file of [json.info.logos.small, json.info.logos.large, 'README.md', 'LICENSE', 'CHANGELOG.md']) {
        assert.ok(fs.existsSync(path.join(dist, file)), file);
      }
    });

    it('module.js: AMD, asking only for modules Grafana shares, with chunk hashes matching the chunks', () => {
      const module = fs.readFileSync(path.join(dist, 'module.js'), 'utf8');
      assert.match(module, new RegExp(`\\[create-plugin\\] plugin: ${json.id}@${json.info.version}`));
      const provided = new Set<string>([...SHARED_MODULE_NAMES, ...LOADER_MODULES]);
      for (const dep of amdDependencies(module)) {
        assert.ok(provided.has(dep), `${dep} is provided by Grafana (and the test host)`);
      }
      const sri = [...(/sriHashes=\{([^}]*)\}/.exec(module)?.[1] ?? '').matchAll(/(\w+):"(sha\d+-[A-Za-z0-9+/=]+)"/g)];
      const chunks = fs.readdirSync(dist).filter((f) => /^\d+\.js$/.test(f));
      assert.equal(sri.length, chunks.length, 'every lazy chunk has an integrity hash');
      for (const [, chunk, hash] of sri) {
        const [algorithm, expected] = hash!.split('-') as [string, string];
        const actual = createHash(algorithm)
          .update(fs.readFileSync(path.join(dist, `${chunk}.js`)))
          .digest('base64');
        assert.equal(actual, expected, `chunk ${chunk}.js matches its integrity hash`);
      }
    });

    it('the test host shares the exact SDK versions the plugin was built against', () => {
      for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema', 'rxjs']) {
        if (pkg.dependencies[name]) {
          assert.equal(E2E_PACKAGE.dependencies[name], pkg.dependencies[name], name);
        }
      }
    });

    it('packages as <id>-<version>.zip with everything under a <id>/ folder, reproducibly', async () => {
      const first = await packagePlugin(dist, path.join(tmp, 'a'));
      const second = await packagePlugin(dist, path.join(tmp, 'b'));
      assert.equal(path.basename(first.zip), `${json.id}-${json.info.version}.zip`);
      assert.equal(first.sha256, second.sha256, 'the same dist/ gives the same bytes');

      const entries = await readZip(first.zip);
      const names = [...entries.keys()];
      assert.equal(names[0], `${json.id}/`, 'the top-level folder comes first');
      for (const name of names) {
        assert.ok(name.startsWith(`${json.id}/`), `${name} is under ${json.id}/`);
        assert.ok(!name.split('/').includes('..') && !name.startsWith('/'), `${name} stays inside`);
      }
      const files = listFiles(dist);
      assert.deepEqual(names.filter((n) => entries.get(n) !== null).sort(), files.map((f) => `${json.id}/${f}`).sort());
      for (const file of files) {
        assert.ok(entries.get(`${json.id}/${file}`)!.equals(fs.readFileSync(path.join(dist, file))), file);
      }
      const zipped = JSON.parse(entries.get(`${json.id}/plugin.json`)!.toString('utf8')) as PluginJson;
      assert.equal(zipped.info.version, json.info.version);
    });
  });
}
