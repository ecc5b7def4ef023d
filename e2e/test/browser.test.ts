/**
 * The built plugins (dist/) in Debian's Chromium, loaded by the Grafana-like test host, against a real
 * collector in demo mode: the datasource configured and tested, a cost query run and drawn, the app
 * configured and used by an admin, an editor and a viewer, and every page screenshotted in both themes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { repoPlugins } from '../host/plugins.js';
import { startHost, type Host } from '../host/server.js';
import { findChromium, launchChromium, type LaunchedBrowser } from '../src/browser.js';
import { startDemoCollector, startSandbox, type DemoCollector, type SandboxProcess } from '../src/collector.js';
import { ARTIFACTS, settled, signIn, THEMES, type Session } from './helpers/ui.js';

const APP = 'infrazen-finops-app';
const DS = 'infrazen';
/** The app's data-testids (app-plugin/src/components/testIds.ts); plain strings so a rename fails here. */
const APP_IDS = {
  apiUrl: 'data-testid ac-api-url',
  apiToken: 'data-testid ac-api-token',
  submit: 'data-testid ac-submit-form',
  readOnly: 'data-testid iz-read-only',
  overview: 'data-testid overview-container',
  kpiSpend: 'data-testid overview-kpi-spend',
  connections: 'data-testid connections-container',
  connectionCard: 'data-testid connection-card',
  connectionAdd: 'data-testid connection-add',
  connectionSync: 'data-testid connection-sync',
  providerTile: 'data-testid connection-provider-tile',
  wizard: 'data-testid connection-wizard',
  wizardTest: 'data-testid connection-wizard-test',
  wizardSave: 'data-testid connection-wizard-save',
  wizardResult: 'data-testid connection-wizard-result',
  resources: 'data-testid resources-container',
  resourceSection: 'data-testid resources-section',
  resourceRow: 'data-testid resources-row',
  recommendations: 'data-testid recommendations-container',
  recommendationRow: 'data-testid recommendations-row',
  recommendationAccept: 'data-testid recommendations-accept',
  budgets: 'data-testid budgets-container',
  budgetAdd: 'data-testid budgets-add',
  budgetRow: 'data-testid budgets-row',
  budgetName: 'data-testid budgets-name',
  budgetAmount: 'data-testid budgets-amount',
  budgetSave: 'data-testid budgets-save',
};
const DS_IDS = { url: 'data-testid infrazen-config-url', apiToken: 'data-testid infrazen-config-api-token' };

const chromiumPath = findChromium();

describe(
  'the built plugins in a browser, against a demo collector',
  { skip: !chromiumPath && !process.env.CI && 'no Chromium (apt-get install chromium)', timeout: 600_000 },
  () => {
    let collector: DemoCollector;
    let sandbox: SandboxProcess;
    let host: Host;
    let chromium: LaunchedBrowser;
    const sessions: Session[] = [];

    async function as(
      user: 'admin' | 'editor' | 'viewer',
      theme: 'dark' | 'light' = 'dark',
      language = 'en-US'
    ): Promise<Session> {
      const session = await signIn(chromium.browser, host.url, user, theme, language);
      sessions.push(session);
      return session;
    }

    /** A test whose sessions are closed afterwards, and screenshotted first when it fails. */
    function flow(name: string, fn: () => Promise<void>): void {
      it(name, async () => {
        const first = sessions.length;
        try {
          await fn();
        } catch (err) {
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          for (const [i, session] of sessions.slice(first).entries()) {
            await session.page
              .screenshot({ path: path.join(ARTIFACTS, 'failures', `${slug}-${i}.png`), fullPage: true })
              .catch(() => undefined);
          }
          throw err;
        } finally {
          for (const session of sessions.splice(first)) {
            await session.close().catch(() => undefined);
          }
        }
      });
    }

    function assertClean(session: Session): void {
      assert.deepEqual(session.problems.errors, [], `${session.user}: no uncaught errors or console errors`);
      assert.deepEqual(session.missingPluginFiles, [], 'every plugin file asked for was in dist/');
    }

    before(async () => {
      for (const dir of ['screenshots', 'failures']) {
        fs.rmSync(path.join(ARTIFACTS, dir), { recursive: true, force: true });
      }
      // Each started separately, so that after() can stop whatever did start when one of them fails.
      const started = await Promise.allSettled([
        startDemoCollector().then((c) => (collector = c)),
        startSandbox().then((p) => (sandbox = p)),
        startHost({
          plugins: repoPlugins(),
          datasources: [{ uid: DS, name: 'InfraZen', type: 'infrazen-finops-datasource' }],
        }).then((h) => (host = h)),
        launchChromium().then((b) => (chromium = b)),
      ]);
      for (const result of started) {
        if (result.status === 'rejected') {
          throw result.reason;
        }
      }
    });

    after(async () => {
      for (const s of sessions) {
        await s.close().catch(() => undefined);
      }
      await chromium?.close();
      await host?.close();
      await sandbox?.stop();
      await collector?.stop();
    });

    flow(
      'datasource: the config editor saves URL and token, and "Save & test" passes against the collector',
      async () => {
        const s = await as('admin');
        await s.goto(`/connections/datasources/edit/${DS}`);
        await s.page.getByTestId(DS_IDS.url).fill(collector.url);
        await s.page.getByTestId(DS_IDS.apiToken).fill(collector.token);
        await s.page.getByTestId('host-ds-save-test').click();
        const result = s.page.getByTestId('host-ds-test-result');
        await result.waitFor();
        assert.equal(await result.getAttribute('data-status'), 'success', await result.innerText());
        assert.deepEqual(host.state.dataSource(DS)?.secureJsonFields, { apiToken: true });
        assert.equal(host.state.dataSource(DS)?.jsonData.url, collector.url);
        assert.ok(
          host.proxyLog.some((e) => e.kind === 'datasource' && e.route === 'api/v1/me' && e.status === 200),
          'the health check went through the data proxy'
        );
        await s.screenshot('datasource-config');
        assertClean(s);
      }
    );

    flow(
      'datasource: a cost query in the query editor returns series and the time series panel draws them',
      async () => {
        const s = await as('admin');
        await s.goto(`/explore?ds=${DS}&from=now-30d&to=now`);
        await s.page.getByTestId('host-query-editor').waitFor();
        const response = s.page.waitForResponse((r) =>
          r.url().includes(`/api/datasources/proxy/uid/${DS}/api/v1/query`)
        );
        await s.page.getByTestId('host-run-query').click();
        assert.equal((await response).status(), 200);
        const panel = s.page.locator('[data-testid="host-panel"][data-state="Done"]');
        await panel.waitFor();
        assert.equal(await panel.getAttribute('data-kind'), 'timeseries');
        assert.ok(Number(await panel.getAttribute('data-values')) > 0, 'the series carry values');
        await panel.locator('canvas').first().waitFor();
        await s.screenshot('explore-cost-query');
        assertClean(s);
      }
    );

    flow('app: an admin enables it and saves the collector URL and token on its config page', async () => {
      const s = await as('admin');
      await s.goto(`/plugins/${APP}`);
      await Promise.all([s.page.waitForEvent('load'), s.page.getByTestId('host-plugin-enable').click()]);
      await s.page.getByTestId(APP_IDS.apiUrl).fill(collector.url);
      await s.page.getByTestId(APP_IDS.apiToken).fill(collector.token);
      await Promise.all([s.page.waitForEvent('load'), s.page.getByTestId(APP_IDS.submit).click()]);
      const settings = host.state.pluginSettings(APP)!;
      assert.equal(settings.enabled, true);
      assert.equal(settings.jsonData.collectorUrl, collector.url);
      assert.deepEqual(settings.secureJsonFields, { collectorToken: true });
      await s.screenshot('app-config');
      assertClean(s);
    });

    /** The collector's own view, with the tenant's API token (what the app sees through the proxy). */
    async function collectorGet<T>(route: string): Promise<T> {
      const res = await fetch(`${collector.url}${route}`, { headers: { authorization: `Bearer ${collector.token}` } });
      assert.equal(res.status, 200, `${route}: ${res.status}`);
      return (await res.json()) as T;
    }

    async function eventually<T>(
      fn: () => Promise<T>,
      ok: (v: T) => boolean,
      what: string,
      timeoutMs = 60_000
    ): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await fn();
        if (ok(value)) {
          return value;
        }
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    type Connection = {
      id: string;
      name: string;
      lastError: string | null;
      provider: string;
      lastSyncStatus: string | null;
      lastSyncAt: string | null;
    };
    let added: Connection | undefined;

    flow('app: the overview shows the demo account’s spend', async () => {
      const s = await as('admin');
      await s.goto(`/a/${APP}/overview`);
      await s.page.getByTestId(APP_IDS.overview).waitFor();
      await s.page.getByTestId(APP_IDS.kpiSpend).waitFor();
      assert.match(await s.page.getByTestId(APP_IDS.kpiSpend).innerText(), /\d/);
      assertClean(s);
    });

    flow('app: an admin adds a sandbox connection, tests it, syncs it and sees its resources', async () => {
      const s = await as('admin');
      const { beget } = sandbox.accounts;
      await s.goto(`/a/${APP}/connections`);
      await s.page.getByTestId(APP_IDS.connectionAdd).click();
      const wizard = s.page.getByTestId(APP_IDS.wizard);
      await wizard.getByTestId(APP_IDS.providerTile).filter({ hasText: 'Beget' }).click();
      await wizard.locator('#cw-name').fill('Beget (e2e)');
      await wizard.locator('#cw-credentials-login').fill(beget.credentials.login!);
      await wizard.locator('#cw-credentials-password').fill(beget.credentials.password!);
      const apiUrl = wizard.locator('#cw-settings-apiUrl');
      if (!(await apiUrl.isVisible())) {
        await wizard.getByText('Advanced settings').click();
      }
      await apiUrl.fill(String(beget.settings.apiUrl));
      await wizard.getByTestId(APP_IDS.wizardTest).click();
      const result = wizard.getByTestId(APP_IDS.wizardResult);
      await result.waitFor();
      assert.match(await result.innerText(), /Connection works/);
      await wizard.getByTestId(APP_IDS.wizardSave).click();
      await wizard.waitFor({ state: 'detached' });

      const listed = await collectorGet<{ items: Connection[] }>('/api/v1/connections');
      added = listed.items.find((c) => c.name === 'Beget (e2e)');
      assert.ok(added, 'the connection was created in the collector');
      const card = s.page.getByTestId(APP_IDS.connectionCard).filter({ hasText: 'Beget (e2e)' });
      await card.waitFor();
      await card.getByTestId(APP_IDS.connectionSync).click();
      added = await eventually(
        async () =>
          (await collectorGet<{ items: Connection[] }>('/api/v1/connections')).items.find((c) => c.id === added!.id)!,
        (c) => c.lastSyncStatus !== null && c.lastSyncStatus !== 'running',
        'the sync of the new connection'
      );
      // The sandbox's Beget account is the demo's, whose plan refuses one API method by design, so both
      // connections end 'partial' (with that reason): the same outcome is what matters here.
      const demoBeget = (await collectorGet<{ items: Connection[] }>('/api/v1/connections')).items.find(
        (c) => c.provider === 'beget' && c.id !== added!.id
      );
      assert.ok(['success', 'partial'].includes(added.lastSyncStatus!), `${added.lastSyncStatus}: ${added.lastError}`);
      assert.equal(added.lastSyncStatus, demoBeget?.lastSyncStatus, `${added.lastError}`);
      await s.screenshot('app-connections-added');

      const resources = await collectorGet<{ items: { name: string; connectionId: string }[] }>(
        `/api/v1/resources?connection=${added.id}`
      );
      assert.ok(resources.items.length > 0, 'the sync found resources');
      await s.goto(`/a/${APP}/resources`);
      const section = s.page.getByTestId(APP_IDS.resourceSection).filter({ hasText: 'Beget (e2e)' });
      await section.waitFor();
      if ((await section.getByTestId(APP_IDS.resourceRow).count()) === 0) {
        // Sections start collapsed once there are more than three connections.
        await section.getByText('Beget (e2e)').click();
      }
      await section.getByTestId(APP_IDS.resourceRow).first().waitFor();
      const shown = await section.getByTestId(APP_IDS.resourceRow).allInnerTexts();
      for (const r of resources.items) {
        assert.ok(
          shown.some((row) => row.includes(r.name)),
          `${r.name} is listed under the new connection`
        );
      }
      await s.screenshot('app-resources-new-connection');
      assertClean(s);
    });

    type Recommendation = { id: string; status: string; title: string };

    flow('app: an editor accepts a recommendation and the collector records who did', async () => {
      const s = await as('editor');
      const open = await collectorGet<{ items: Recommendation[] }>('/api/v1/recommendations?status=open');
      assert.ok(open.items.length > 0, 'the demo data has open recommendations');
      await s.goto(`/a/${APP}/recommendations`);
      const row = s.page
        .getByTestId(APP_IDS.recommendationRow)
        .filter({ has: s.page.getByTestId(APP_IDS.recommendationAccept) })
        .first();
      const title = (await row.innerText()).split('\n')[0]!;
      const patched = s.page.waitForResponse(
        (r) => r.request().method() === 'PATCH' && r.url().includes('/api/plugin-proxy/')
      );
      await row.getByTestId(APP_IDS.recommendationAccept).click();
      assert.equal((await patched).status(), 200);
      const accepted = await collectorGet<{ items: Recommendation[] }>('/api/v1/recommendations?status=accepted');
      assert.equal(accepted.items.length, 1);
      assert.ok(title.includes(accepted.items[0]!.title) || accepted.items[0]!.title.includes(title.trim()), title);
      const audit = await collectorGet<{ items: { actor: string; targetId: string }[] }>('/api/v1/audit?limit=20');
      assert.ok(
        audit.items.some((e) => e.actor === 'editor' && e.targetId === accepted.items[0]!.id),
        'the audit log names the Grafana user the proxy forwarded'
      );
      await s.screenshot('app-recommendations-accepted');
      assertClean(s);
    });

    type Budget = { id: string; name: string; amount: string; currency: string; scope: { kind: string } };

    flow('app: an editor creates a budget', async () => {
      const s = await as('editor');
      await s.goto(`/a/${APP}/budgets`);
      await s.page.getByTestId(APP_IDS.budgetAdd).click();
      await s.page.getByTestId(APP_IDS.budgetName).fill('E2E monthly budget');
      await s.page.getByTestId(APP_IDS.budgetAmount).fill('123456.78');
      await s.page.getByTestId(APP_IDS.budgetSave).click();
      await s.page.getByTestId(APP_IDS.budgetRow).filter({ hasText: 'E2E monthly budget' }).waitFor();
      const budgets = await collectorGet<{ items: Budget[] }>('/api/v1/budgets');
      const budget = budgets.items.find((b) => b.name === 'E2E monthly budget');
      assert.ok(budget, 'the collector has the budget');
      assert.equal(budget.amount, '123456.78');
      assert.equal(budget.scope.kind, 'tenant');
      await s.screenshot('app-budgets-created');
      assertClean(s);
    });

    flow('app: a viewer sees the data, gets no management actions, and the proxy refuses them anyway', async () => {
      const s = await as('viewer');
      await s.goto(`/a/${APP}/connections`);
      await s.page.getByTestId(APP_IDS.connectionCard).first().waitFor();
      assert.equal(await s.page.getByTestId(APP_IDS.connectionAdd).count(), 0, 'no add button for a viewer');
      assert.equal(await s.page.getByTestId(APP_IDS.connectionSync).count(), 0, 'no sync button for a viewer');
      await s.goto(`/a/${APP}/budgets`);
      await s.page.getByTestId(APP_IDS.budgetRow).filter({ hasText: 'E2E monthly budget' }).waitFor();
      assert.equal(await s.page.getByTestId(APP_IDS.budgetAdd).count(), 0);

      const budgetsBefore = (await collectorGet<{ items: Budget[] }>('/api/v1/budgets')).items.length;
      const rec = (await collectorGet<{ items: Recommendation[] }>('/api/v1/recommendations?status=open')).items[0]!;
      const attempts: [string, string, unknown][] = [
        ['POST', 'api/v1/connections', { name: 'x', provider: 'beget', credentials: {} }],
        ['POST', `api/v1/connections/${added!.id}/sync`, {}],
        ['DELETE', `api/v1/connections/${added!.id}`, undefined],
        [
          'POST',
          'api/v1/budgets',
          { name: 'nope', amount: '1', currency: 'RUB', period: 'monthly', scope: { kind: 'tenant' } },
        ],
        ['PATCH', `api/v1/recommendations/${rec.id}`, { status: 'accepted' }],
        ['GET', 'api/v1/admin/status', undefined],
        ['GET', 'api/v1/audit', undefined],
      ];
      const logged = host.proxyLog.length;
      for (const [method, route, body] of attempts) {
        // What the app's own code would send, from the viewer's page (cookies and all).
        const answer = await s.page.evaluate(
          async ([m, r, b]) => {
            const res = await fetch(`/api/plugin-proxy/infrazen-finops-app/${r}`, {
              method: m,
              headers: { 'content-type': 'application/json' },
              body: b === undefined ? undefined : JSON.stringify(b),
            });
            return { status: res.status, body: await res.text() };
          },
          [method, route, body] as const
        );
        assert.equal(answer.status, 403, `${method} ${route}`);
        assert.match(answer.body, /plugin proxy route access denied/);
      }
      const refused = host.proxyLog.slice(logged);
      assert.equal(refused.length, attempts.length);
      assert.ok(
        refused.every((e) => e.status === 403 && e.upstream === undefined),
        'nothing reached the collector'
      );
      assert.equal((await collectorGet<{ items: Budget[] }>('/api/v1/budgets')).items.length, budgetsBefore);
      assert.equal(
        (await collectorGet<{ items: Recommendation[] }>(`/api/v1/recommendations?status=open`)).items[0]!.id,
        rec.id
      );
      await s.screenshot('app-viewer-budgets');
      assertClean(s);
    });

    flow('both plugins follow the Grafana user’s language (ru-RU)', async () => {
      const s = await as('admin', 'dark', 'ru-RU');
      await s.goto(`/a/${APP}/overview`);
      await s.page.getByTestId(APP_IDS.kpiSpend).waitFor();
      assert.match(await s.page.getByTestId(APP_IDS.kpiSpend).innerText(), /Расходы с начала месяца/);
      await s.screenshot('app-overview-ru');
      await s.goto(`/connections/datasources/edit/${DS}`);
      await s.page.getByTestId(DS_IDS.url).waitFor();
      assert.match(await s.page.getByTestId('host-ds-config-editor').innerText(), /URL коллектора/);
      assertClean(s);
    });

    flow('app: every page of the nav renders for an admin in both themes (screenshots)', async () => {
      const pages = (host.state.pluginSettings(APP)!.includes ?? []).filter((i) => i.type === 'page' && i.path);
      assert.ok(pages.length > 0);
      for (const theme of THEMES) {
        const s = await as('admin', theme);
        for (const include of pages) {
          await s.goto(include.path!);
          await settled(s.page);
          const name = include.path!.startsWith('/plugins/') ? 'app-config' : `app-${include.path!.split('/').pop()}`;
          assert.equal(await s.page.getByTestId('host-app-error').count(), 0, `${include.name} loads`);
          await s.screenshot(name);
        }
        for (const [pathname, name] of [
          [`/connections/datasources/edit/${DS}`, 'datasource-config'],
          [`/explore?ds=${DS}`, 'explore'],
        ] as const) {
          await s.goto(pathname);
          await settled(s.page);
          await s.screenshot(name);
        }
        assertClean(s);
      }
    });
  }
);
