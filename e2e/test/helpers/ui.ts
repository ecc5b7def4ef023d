/** Signed-in browser sessions on the test host, with problem tracking and screenshots as artifacts. */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { REPO_ROOT } from '../../host/plugins.js';
import type { ThemeName } from '../../host/types.js';
import { newContext, watchProblems, type PageProblems } from '../../src/browser.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'e2e', 'artifacts');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
export const THEMES: ThemeName[] = ['dark', 'light'];

/** Browser noise that says nothing about the plugins (a refused request is asserted where it matters). */
const IGNORED_CONSOLE = [/Failed to load resource: the server responded with a status of (400|403|404)/];

export interface Session {
  user: string;
  theme: ThemeName;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** Requests for files under /public/plugins/ that the host did not have. */
  missingPluginFiles: string[];
  goto(pathname: string): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function signIn(
  browser: Browser,
  hostUrl: string,
  user: 'admin' | 'editor' | 'viewer',
  theme: ThemeName = 'dark',
  language = 'en-US'
): Promise<Session> {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = watchProblems(page, IGNORED_CONSOLE);
  const missingPluginFiles: string[] = [];
  page.on('response', (res) => {
    if (res.status() === 404 && new URL(res.url()).pathname.startsWith('/public/plugins/')) {
      missingPluginFiles.push(res.url());
    }
  });
  await page.goto(`${hostUrl}/login?user=${user}&theme=${theme}&lang=${language}&next=/`);
  await page.getByTestId('host-main').waitFor();
  return {
    user,
    theme,
    context,
    page,
    problems,
    missingPluginFiles,
    goto: async (pathname) => {
      await page.goto(`${hostUrl}${pathname}`);
      await page.getByTestId('host-main').waitFor();
    },
    screenshot: async (name) => {
      const file = path.join(SCREENSHOTS, theme, `${name}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}

/** Loading placeholders and spinners gone: the page has settled on what it shows. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('[data-testid="data-testid iz-loading"], .fa-spinner, [aria-label="Loading"]')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
}
