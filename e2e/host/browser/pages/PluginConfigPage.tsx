/** `/plugins/:pluginId`: Grafana's plugin details page — enable/disable and the app's config pages. */
import { AppPlugin, PluginContextProvider } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, LoadingPlaceholder, Stack, Tab, TabsBar, Text } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';

import { hostBackendSrv } from '../backend-srv.js';
import { loadAppPlugin } from '../plugin-loader.js';

export function PluginConfigPage() {
  const { pluginId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [plugin, setPlugin] = useState<AppPlugin>();
  const [error, setError] = useState<string>();
  const isAdmin = config.bootData.user.orgRole === 'Admin';

  useEffect(() => {
    loadAppPlugin(pluginId).then(setPlugin, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [pluginId]);

  if (error) {
    return <Alert severity="error" title={error} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading plugin…" />;
  }

  const setEnabled = async (enabled: boolean) => {
    await hostBackendSrv.post(`/api/plugins/${pluginId}/settings`, {
      enabled,
      pinned: enabled,
      jsonData: plugin.meta.jsonData,
    });
    // Grafana reloads so that navigation picks up the app.
    window.location.reload();
  };

  const pages = plugin.configPages ?? [];
  const current = pages.find((p) => p.id === params.get('page')) ?? pages[0];

  return (
    <Stack direction="column" gap={2}>
      <Stack alignItems="center" gap={2}>
        <Text element="h1">{plugin.meta.name}</Text>
        <Text color="secondary">v{plugin.meta.info.version}</Text>
        {isAdmin &&
          (plugin.meta.enabled ? (
            <Button variant="destructive" data-testid="host-plugin-disable" onClick={() => setEnabled(false)}>
              Disable
            </Button>
          ) : (
            <Button data-testid="host-plugin-enable" onClick={() => setEnabled(true)}>
              Enable
            </Button>
          ))}
      </Stack>
      {!isAdmin && <Alert severity="info" title="Only organisation admins can configure plugins" />}
      {isAdmin && current && (
        <>
          <TabsBar>
            {pages.map((p) => (
              <Tab
                key={p.id}
                label={p.title}
                icon={p.icon}
                active={p.id === current.id}
                onChangeTab={() => setParams({ page: p.id })}
              />
            ))}
          </TabsBar>
          <PluginContextProvider meta={plugin.meta}>
            <ErrorBoundaryAlert>
              <div data-testid="host-plugin-config">
                <current.body plugin={plugin} query={Object.fromEntries(params)} />
              </div>
            </ErrorBoundaryAlert>
          </PluginContextProvider>
        </>
      )}
    </Stack>
  );
}
