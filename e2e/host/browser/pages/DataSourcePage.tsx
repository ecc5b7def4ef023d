/**
 * `/connections/datasources/edit/:uid`: Grafana's datasource settings page — name, the plugin's
 * ConfigEditor, "Save & test" (PUT the settings, rebuild the instance, run testDatasource()).
 */
import { DataSourceSettings, TestDataSourceResponse } from '@grafana/data';
import { config, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, Field, Input, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';

import type { DataSourceDto, PluginSettingsDto } from '../../types.js';
import { hostBackendSrv } from '../backend-srv.js';
import { AnyDataSourcePlugin, getPluginSettings, HostDataSourceSrv, loadDataSourcePlugin } from '../plugin-loader.js';

type Result = TestDataSourceResponse & { details?: { message?: string } };

function toSettings(dto: DataSourceDto): DataSourceSettings {
  return { ...dto, secureJsonData: {} } as unknown as DataSourceSettings;
}

export function DataSourcePage() {
  const { uid = '' } = useParams();
  const [plugin, setPlugin] = useState<AnyDataSourcePlugin>();
  const [options, setOptions] = useState<DataSourceSettings>();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    (async () => {
      const dto = await hostBackendSrv.get<DataSourceDto>(`/api/datasources/uid/${uid}`);
      const meta: PluginSettingsDto = await getPluginSettings(dto.type);
      setPlugin(await loadDataSourcePlugin(meta));
      setOptions(toSettings(dto));
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : JSON.stringify(e)));
  }, [uid]);

  if (config.bootData.user.orgRole !== 'Admin') {
    return (
      <Alert data-testid="host-access-denied" severity="error" title="Access denied: data sources need an admin" />
    );
  }
  if (error) {
    return <Alert severity="error" title={error} />;
  }
  if (!plugin || !options) {
    return <LoadingPlaceholder text="Loading data source…" />;
  }
  const ConfigEditor = plugin.components.ConfigEditor;

  const saveAndTest = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      const saved = await hostBackendSrv.put<{ datasource: DataSourceDto }>(`/api/datasources/uid/${uid}`, options);
      setOptions(toSettings(saved.datasource));
      await (getDataSourceSrv() as HostDataSourceSrv).refresh();
      const ds = await getDataSourceSrv().get(uid);
      setResult((await ds.testDatasource()) as Result);
    } catch (e) {
      const message = e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
      setResult({ status: 'error', message });
    } finally {
      setTesting(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Field label="Name">
        <Input
          data-testid="host-ds-name"
          value={options.name}
          width={40}
          onChange={(e) => setOptions({ ...options, name: e.currentTarget.value })}
        />
      </Field>
      <ErrorBoundaryAlert>
        <div data-testid="host-ds-config-editor">
          {ConfigEditor && <ConfigEditor options={options} onOptionsChange={setOptions} />}
        </div>
      </ErrorBoundaryAlert>
      {result && (
        <div data-testid="host-ds-test-result" data-status={result.status}>
          <Alert
            severity={result.status === 'success' ? 'success' : result.status === 'warning' ? 'warning' : 'error'}
            title={result.message}
          >
            {result.details?.message}
          </Alert>
        </div>
      )}
      <Stack gap={1}>
        <Button data-testid="host-ds-save-test" disabled={testing} onClick={saveAndTest}>
          {testing ? 'Testing…' : 'Save & test'}
        </Button>
      </Stack>
    </Stack>
  );
}
