import React, { useState } from 'react';
import { Alert, Button, Card, IconButton, Stack } from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Connection, ConnectionTestResult } from '../../api/types';
import { ProviderBadge } from '../../components/common/ProviderBadge';
import { StatusBadge } from '../../components/common/StatusBadge';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatMoney, formatRelative } from '../../utils/format';
import { AccountInfo, shortRunway } from './AccountInfo';
import { SyncProgress } from './SyncProgress';
import { useSyncRun } from './useSyncRun';

interface Props {
  connection: Connection;
  /** Admin and not in support access: may sync, test, edit and delete. */
  canManage: boolean;
  syncs: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onHistory: () => void;
  onChanged: () => void;
}

function TestOutcome({ result }: { result: ConnectionTestResult | { error: string } }) {
  if ('ok' in result && result.ok) {
    const account = result.account.name ?? result.account.accountId ?? '';
    const balance =
      result.account.balance !== undefined ? ` · ${formatMoney(result.account.balance, result.account.currency)}` : '';
    return (
      <Alert
        severity="success"
        title={t('connections.testOk', { account: account + balance })}
        data-testid={testIds.connections.testResult}
      />
    );
  }
  const message =
    'error' in result && typeof result.error === 'string'
      ? t('connections.actionFailed', { detail: result.error })
      : t('connections.testFailed', (result as Extract<ConnectionTestResult, { ok: false }>).error);
  return <Alert severity="error" title={message} data-testid={testIds.connections.testResult} />;
}

/** One cloud account: status, sync times, errors, account information and, for admins, its actions. */
export function ConnectionCard({ connection: c, canManage, syncs, onEdit, onDelete, onHistory, onChanged }: Props) {
  const { run, start } = useSyncRun(c.id, onChanged);
  const [test, setTest] = useState<ConnectionTestResult | { error: string }>();
  const [testing, setTesting] = useState(false);
  const running = run.state === 'starting' || run.state === 'running';
  const runway = shortRunway(c.account);

  const onTest = async () => {
    setTesting(true);
    try {
      setTest(await api.testConnection(c.id));
    } catch (err) {
      setTest({ error: describeError(err).message });
    } finally {
      setTesting(false);
    }
  };

  const meta = [
    c.lastSyncAt
      ? t('connections.lastSync', {
          when: formatRelative(c.lastSyncAt),
          status: tOr('snapshotStatus.', c.lastSyncStatus ?? ''),
        })
      : t('connections.neverSynced'),
    ...(c.enabled && c.nextSyncAt ? [t('connections.nextSync', { when: formatRelative(c.nextSyncAt) })] : []),
    c.schedule ? t('connections.schedule', { cron: c.schedule }) : t('connections.scheduleDefault'),
  ];

  return (
    <Card data-testid={testIds.connections.card} noMargin>
      <Card.Heading>{c.name}</Card.Heading>
      <Card.Tags>
        <Stack gap={1}>
          <ProviderBadge provider={c.provider} />
          <StatusBadge status={running ? 'syncing' : c.status} />
        </Stack>
      </Card.Tags>
      <Card.Meta>{meta}</Card.Meta>
      <Card.Description>
        <Stack direction="column" gap={1}>
          {c.lastError && c.status === 'error' && (
            <Alert severity="error" title={t('connections.lastError')}>
              {c.lastError}
            </Alert>
          )}
          {runway !== undefined && (
            <Alert
              severity={runway <= 7 ? 'error' : 'warning'}
              title={t('account.daysToBlockWarning', { days: runway })}
              data-testid={testIds.connections.daysToBlock}
            />
          )}
          <SyncProgress run={run} />
          {test && <TestOutcome result={test} />}
          <AccountInfo account={c.account} />
        </Stack>
      </Card.Description>
      {canManage && (
        <Card.Actions>
          {syncs && (
            <Button
              icon={running ? 'spinner' : 'sync'}
              onClick={start}
              disabled={running || !c.enabled}
              data-testid={testIds.connections.sync}
            >
              {t('connections.syncNow')}
            </Button>
          )}
          {syncs && (
            <Button
              variant="secondary"
              icon="heart-rate"
              onClick={onTest}
              disabled={testing}
              data-testid={testIds.connections.test}
            >
              {t('connections.test')}
            </Button>
          )}
          <Button variant="secondary" icon="pen" onClick={onEdit} data-testid={testIds.connections.edit}>
            {t('action.edit')}
          </Button>
        </Card.Actions>
      )}
      <Card.SecondaryActions>
        <IconButton
          name="history"
          tooltip={t('connections.history')}
          onClick={onHistory}
          data-testid={testIds.connections.history}
        />
        {canManage && (
          <IconButton
            name="trash-alt"
            tooltip={t('action.delete')}
            onClick={onDelete}
            data-testid={testIds.connections.remove}
          />
        )}
      </Card.SecondaryActions>
    </Card>
  );
}
