import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text } from '@grafana/ui';
import type { MeResponse } from '@infrazen/contract';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { t } from '../../i18n';
import { testIds } from '../testIds';

export type AppPluginSettings = {
  /** Base URL of the InfraZen collector, as Grafana's server reaches it (plugin.json routes use it). */
  collectorUrl?: string;
};

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppPluginSettings>> {}

/** http(s) only, and no credentials in the URL: the token belongs in secureJsonData. */
export function isValidCollectorUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

type Check =
  { state: 'idle' } | { state: 'running' } | { state: 'ok'; me: MeResponse } | { state: 'failed'; message: string };

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const savedUrl = jsonData?.collectorUrl ?? '';
  const [url, setUrl] = useState(savedUrl);
  const [token, setToken] = useState('');
  const [isTokenSet, setIsTokenSet] = useState(Boolean(secureJsonFields?.collectorToken));
  const [saveError, setSaveError] = useState<string>();
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  const urlInvalid = url !== '' && !isValidCollectorUrl(url);
  const isSubmitDisabled = !url || urlInvalid || (!isTokenSet && !token);
  const unsaved = url !== savedUrl || token !== '' || isTokenSet !== Boolean(secureJsonFields?.collectorToken);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }
    try {
      await updatePlugin(plugin.meta.id, {
        enabled,
        pinned,
        jsonData: { collectorUrl: url.replace(/\/+$/, '') },
        // The token cannot be read back; do not overwrite a stored one that was left untouched.
        secureJsonData: isTokenSet ? undefined : { collectorToken: token },
      });
      // Grafana offers no supported way to refresh plugin meta in place, so reload the page.
      window.location.reload();
    } catch (err) {
      setSaveError(t('config.saveFailed', { detail: describeError(err).message }));
    }
  };

  const onCheck = async () => {
    setCheck({ state: 'running' });
    try {
      setCheck({ state: 'ok', me: await api.me() });
    } catch (err) {
      setCheck({ state: 'failed', message: describeError(err).message });
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label={t('config.fieldset')}>
        <Text color="secondary" element="p">
          {t('config.help')}
        </Text>
        <Field
          label={t('config.url')}
          description={t('config.url.help')}
          invalid={urlInvalid}
          error={
            urlInvalid ? <span data-testid={testIds.appConfig.urlError}>{t('config.url.invalid')}</span> : undefined
          }
        >
          <Input
            width={60}
            id="config-collector-url"
            data-testid={testIds.appConfig.apiUrl}
            value={url}
            placeholder="http://collector:8080"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setUrl(e.target.value.trim())}
          />
        </Field>

        <Field label={t('config.token')} description={t('config.token.help')}>
          <SecretInput
            width={60}
            id="config-collector-token"
            data-testid={testIds.appConfig.apiToken}
            value={token}
            isConfigured={isTokenSet}
            placeholder={t('config.token.placeholder')}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setToken(e.target.value.trim())}
            onReset={() => {
              setToken('');
              setIsTokenSet(false);
            }}
          />
        </Field>

        {saveError && <Alert severity="error" title={saveError} />}

        <Stack gap={2} alignItems="center">
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            {t('config.save')}
          </Button>
          <Button
            type="button"
            variant="secondary"
            icon={check.state === 'running' ? 'spinner' : 'heart-rate'}
            data-testid={testIds.appConfig.check}
            disabled={check.state === 'running' || !savedUrl || unsaved}
            tooltip={unsaved ? t('config.check.unsaved') : t('config.check.help')}
            onClick={onCheck}
          >
            {t('config.check')}
          </Button>
        </Stack>

        <div data-testid={testIds.appConfig.checkResult}>
          {check.state === 'ok' && (
            <Alert
              severity="success"
              title={t('config.check.ok', {
                tenant: check.me.tenant.name,
                org: check.me.tenant.grafanaOrgId,
                currency: check.me.tenant.reportingCurrency,
              })}
            />
          )}
          {check.state === 'failed' && (
            <Alert severity="error" title={t('config.check.failed')}>
              {check.message}
            </Alert>
          )}
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta<AppPluginSettings>>) => {
  const response = getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
  });
  return lastValueFrom(response);
};
