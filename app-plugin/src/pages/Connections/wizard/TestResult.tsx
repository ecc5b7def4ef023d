import React from 'react';
import { Alert } from '@grafana/ui';

import type { AccountInfo } from '../../../api/types';
import { testIds } from '../../../components/testIds';
import { t } from '../../../i18n';
import { formatMoney } from '../../../utils/format';

export type TestState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'ok'; account: AccountInfo }
  | { state: 'failed'; kind: string; message: string };

/** The outcome of a connection test: the account reached, or the provider's refusal. */
export function TestResult({ test }: { test: TestState }) {
  if (test.state === 'ok') {
    const { account } = test;
    const name = account.name ?? account.accountId;
    return (
      <Alert severity="success" title={t('wizard.testOk')} data-testid={testIds.connections.wizardResult}>
        {name && <div>{t('wizard.testAccount', { account: name })}</div>}
        {account.balance !== undefined && (
          <div>{t('wizard.testBalance', { balance: formatMoney(account.balance, account.currency ?? null) })}</div>
        )}
      </Alert>
    );
  }
  if (test.state === 'failed') {
    return (
      <Alert
        severity="error"
        title={t('wizard.testFailed', { kind: test.kind })}
        data-testid={testIds.connections.wizardResult}
      >
        {test.message}
      </Alert>
    );
  }
  return null;
}
