/**
 * The host page: Grafana's services set up the way Grafana's app.ts does before any plugin loads, the
 * shared modules registered with SystemJS, then a router with Grafana's plugin URLs.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2, ThemeContext } from '@grafana/data';
import { config, locationService, setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
// Not exported by the package (Grafana sets it from inside); build.ts aliases this name to the module file.
import { setPluginPage } from 'grafana-runtime-plugin-page';
import { GlobalStyles, Icon, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { ReactNode, useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Routes } from 'react-router-dom';

import { hostBackendSrv } from './backend-srv.js';
import { hostBoot, navSections } from './nav.js';
import { installAppEvents, Toasts } from './notifications.js';
import { AppRootPage } from './pages/AppRootPage.js';
import { DataSourcePage } from './pages/DataSourcePage.js';
import { ExplorePage } from './pages/ExplorePage.js';
import { HomePage } from './pages/HomePage.js';
import { PluginConfigPage } from './pages/PluginConfigPage.js';
import { HostPluginPage } from './plugin-page.js';
import { HostDataSourceSrv } from './plugin-loader.js';
import { loadAmdExtra, registerSharedModules } from './shared-modules.js';
import { HostTemplateSrv } from './template-srv.js';

function HostRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  top: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: theme.spacing(1, 2),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
  }),
  body: css({ display: 'flex', minHeight: 'calc(100vh - 49px)' }),
  nav: css({
    width: 240,
    flexShrink: 0,
    padding: theme.spacing(2),
    borderRight: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
  }),
  main: css({ flexGrow: 1, padding: theme.spacing(2, 3), minWidth: 0, background: theme.colors.background.canvas }),
});

function Layout() {
  const styles = useStyles2(getStyles);
  const { user } = hostBoot();
  return (
    <>
      <header className={styles.top}>
        <TextLink href="/" inline={false} color="primary">
          <Icon name="apps" /> Grafana (test host)
        </TextLink>
        <span data-testid="host-user" data-role={user.orgRole}>
          {user.login} · {user.orgRole} · {user.theme}
        </span>
      </header>
      <div className={styles.body}>
        <nav className={styles.nav} data-testid="host-nav">
          <Stack direction="column" gap={2}>
            {navSections().map((section) => (
              <Stack key={section.title} direction="column" gap={0.5}>
                <Text weight="medium">{section.title}</Text>
                {section.items.map((item) => (
                  <TextLink key={item.url} href={item.url} inline={false} color="secondary">
                    {item.text}
                  </TextLink>
                ))}
              </Stack>
            ))}
          </Stack>
        </nav>
        <main className={styles.main} data-testid="host-main">
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/a/:pluginId/*" element={<AppRootPage />} />
            <Route path="/plugins/:pluginId" element={<PluginConfigPage />} />
            <Route path="/connections/datasources/edit/:uid" element={<DataSourcePage />} />
            <Route path="/explore" element={<ExplorePage />} />
            <Route path="*" element={<div data-testid="host-not-found">Page not found</div>} />
          </Routes>
        </main>
      </div>
      <Toasts />
    </>
  );
}

async function boot(): Promise<void> {
  const { plugins, datasources } = hostBoot();
  setBackendSrv(hostBackendSrv);
  setTemplateSrv(new HostTemplateSrv());
  setDataSourceSrv(new HostDataSourceSrv(datasources, plugins));
  setPluginPage(HostPluginPage);
  installAppEvents();
  registerSharedModules();
  await loadAmdExtra();

  document.body.classList.add(config.theme2.isDark ? 'theme-dark' : 'theme-light');
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <HostRouter>
        <Layout />
      </HostRouter>
    </ThemeContext.Provider>
  );
}

boot().catch((err: unknown) => {
  document.body.textContent = `Host failed to start: ${err instanceof Error ? err.stack : String(err)}`;
  throw err;
});
