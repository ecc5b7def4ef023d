import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, Input, SecretInput, Stack, Text } from '@grafana/ui';

import { DEFAULT_CURRENCY } from '../defaults';
import { t } from '../i18n';
import { InfraZenDataSourceOptions, InfraZenSecureJsonData } from '../types';
import { testIds } from './testIds';

type Props = DataSourcePluginOptionsEditorProps<InfraZenDataSourceOptions, InfraZenSecureJsonData>;

/** Currencies offered first; any other ISO 4217 code can be typed. */
const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN'];
const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * The route URLs in plugin.json append `/api/v1/...` to this value, so a trailing slash would produce
 * `//api`; spaces from a paste would break the URL outright.
 */
export function normalizeUrl(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;
  const currencies: Array<ComboboxOption<string>> = CURRENCIES.map((code) => ({ value: code, label: code }));

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, url: event.target.value } });
  };

  // Normalized on blur, not per keystroke: stripping "/" while typing would make "http://" untypable.
  const onUrlBlur = () => {
    const url = normalizeUrl(jsonData.url ?? '');
    if (url !== jsonData.url) {
      onOptionsChange({ ...options, jsonData: { ...jsonData, url } });
    }
  };

  const onCurrencyChange = (option: ComboboxOption<string>) => {
    const currency = option.value.trim().toUpperCase();
    if (CURRENCY_CODE.test(currency)) {
      onOptionsChange({ ...options, jsonData: { ...jsonData, currency } });
    }
  };

  const onApiTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.target.value } });
  };

  // Reset forgets the stored token: the field becomes editable and the next save stores what is typed.
  const onApiTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };

  return (
    <Stack direction="column" gap={1}>
      <Text element="p" color="secondary">
        {t('config.help')}
      </Text>
      <InlineField label={t('config.url')} labelWidth={22} tooltip={t('config.url.tooltip')} interactive>
        <Input
          id="infrazen-config-url"
          data-testid={testIds.configEditor.url}
          value={jsonData.url ?? ''}
          onChange={onUrlChange}
          onBlur={onUrlBlur}
          placeholder="http://infrazen-collector:8080"
          width={48}
        />
      </InlineField>
      <InlineField label={t('config.token')} labelWidth={22} tooltip={t('config.token.tooltip')} interactive>
        <SecretInput
          id="infrazen-config-api-token"
          data-testid={testIds.configEditor.apiToken}
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData?.apiToken ?? ''}
          placeholder={t('config.token.placeholder')}
          width={48}
          onChange={onApiTokenChange}
          onReset={onApiTokenReset}
        />
      </InlineField>
      <InlineField label={t('config.currency')} labelWidth={22} tooltip={t('config.currency.tooltip')}>
        <Combobox
          id="infrazen-config-currency"
          data-testid={testIds.configEditor.currency}
          options={currencies}
          value={jsonData.currency ?? DEFAULT_CURRENCY}
          createCustomValue
          width={16}
          onChange={onCurrencyChange}
        />
      </InlineField>
    </Stack>
  );
}
