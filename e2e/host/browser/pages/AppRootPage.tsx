/** `/a/:pluginId/*`: the app's root component as Grafana's AppRootPage renders it. */
import { AppPlugin, NavModel, PluginContextProvider } from '@grafana/data';
import { Alert, ErrorBoundaryAlert, LoadingPlaceholder, TextLink } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router-dom';

import { NavContext } from '../plugin-page.js';
import { loadAppPlugin } from '../plugin-loader.js';

export function AppRootPage() {
  const { pluginId = '' } = useParams();
  const location = useLocation();
  const [plugin, setPlugin] = useState<AppPlugin>();
  const [error, setError] = useState<string>();
  const [nav, setNav] = useState<NavModel>();

  useEffect(() => {
    let live = true;
    setPlugin(undefined);
    setError(undefined);
    loadAppPlugin(pluginId).then(
      (p) => live && setPlugin(p),
      (e: unknown) => live && setError(e instanceof Error ? e.message : JSON.stringify(e))
    );
    return () => {
      live = false;
    };
  }, [pluginId]);

  if (error) {
    return <Alert data-testid="host-app-error" severity="error" title={`App ${pluginId} failed to load: ${error}`} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading app…" />;
  }
  if (!plugin.meta.enabled) {
    return (
      <Alert data-testid="host-app-disabled" severity="info" title="App not enabled">
        Enable it on its <TextLink href={`/plugins/${pluginId}`}>plugin page</TextLink>.
      </Alert>
    );
  }
  if (!plugin.root) {
    return <Alert severity="error" title="No root app page component found" />;
  }
  const Root = plugin.root;
  const query = Object.fromEntries(new URLSearchParams(location.search));
  return (
    <NavContext.Provider value={nav}>
      <PluginContextProvider meta={plugin.meta}>
        <ErrorBoundaryAlert>
          <div data-testid="host-app-root">
            <Root
              meta={plugin.meta}
              basename={`/a/${pluginId}`}
              onNavChanged={setNav}
              query={query}
              path={location.pathname}
            />
          </div>
        </ErrorBoundaryAlert>
      </PluginContextProvider>
    </NavContext.Provider>
  );
}
