import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';

import { testIds } from '../testIds';

export type AppPluginSettings = {
  /** Base URL of the InfraZen collector. */
  apiUrl?: string;
};

type State = {
  apiUrl: string;
  /** Whether an API token is already stored (Grafana never sends it back). */
  isApiTokenSet: boolean;
  apiToken: string;
};

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppPluginSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    apiUrl: jsonData?.apiUrl || '',
    apiToken: '',
    isApiTokenSet: Boolean(secureJsonFields?.apiToken),
  });

  const isSubmitDisabled = !state.apiUrl || (!state.isApiTokenSet && !state.apiToken);

  const onResetApiToken = () => setState({ ...state, apiToken: '', isApiTokenSet: false });

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setState({ ...state, [event.target.name]: event.target.value.trim() });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }

    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: { apiUrl: state.apiUrl },
      // The token cannot be read back; do not overwrite a stored one that was left untouched.
      secureJsonData: state.isApiTokenSet ? undefined : { apiToken: state.apiToken },
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="Collector">
        <Field label="Collector URL" description="Base URL of the InfraZen collector">
          <Input
            width={60}
            name="apiUrl"
            id="config-api-url"
            data-testid={testIds.appConfig.apiUrl}
            value={state.apiUrl}
            placeholder="http://localhost:8080"
            onChange={onChange}
          />
        </Field>

        <Field label="API token" description="Tenant API token issued by the collector" className={s.marginTop}>
          <SecretInput
            width={60}
            id="config-api-token"
            data-testid={testIds.appConfig.apiToken}
            name="apiToken"
            value={state.apiToken}
            isConfigured={state.isApiTokenSet}
            placeholder="API token"
            onChange={onChange}
            onReset={onResetApiToken}
          />
        </Field>

        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            Save settings
          </Button>
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppPluginSettings>>) => {
  try {
    await updatePlugin(pluginId, data);
    // Grafana offers no supported way to refresh plugin meta in place, so reload the page.
    window.location.reload();
  } catch (e) {
    console.error('Error while updating the plugin', e);
  }
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = await getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
  });

  return lastValueFrom(response);
};
