import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { InlineField, Input, SecretInput } from '@grafana/ui';

import { InfraZenDataSourceOptions, InfraZenSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<InfraZenDataSourceOptions, InfraZenSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { secureJsonFields, secureJsonData } = options;

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, url: event.target.value.trim() });
  };

  const onApiTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.target.value } });
  };

  const onApiTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };

  return (
    <>
      <InlineField label="Collector URL" labelWidth={16} tooltip="Base URL of the InfraZen collector">
        <Input
          id="config-editor-url"
          value={options.url}
          onChange={onUrlChange}
          placeholder="http://localhost:8080"
          width={40}
        />
      </InlineField>
      <InlineField label="API token" labelWidth={16} tooltip="Tenant API token issued by the collector">
        <SecretInput
          id="config-editor-api-token"
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData?.apiToken ?? ''}
          placeholder="API token"
          width={40}
          onChange={onApiTokenChange}
          onReset={onApiTokenReset}
        />
      </InlineField>
    </>
  );
}
