import React from 'react';
import { Alert, Icon, Stack, Text } from '@grafana/ui';

import { testIds } from '../../components/testIds';
import { StringKey, t, tOr } from '../../i18n';
import type { SyncRun } from './useSyncRun';
// The engine's eight phases, in order (management contract, collector/src/sync/engine.ts).
import { SYNC_PHASES as PHASES } from '@infrazen/contract/management';

/** Live phase progress of a running sync, then its outcome. */
export function SyncProgress({ run }: { run: SyncRun }) {
  if (run.state === 'idle') {
    return null;
  }
  if (run.state === 'failed') {
    return (
      <Alert
        severity={run.conflict ? 'info' : 'error'}
        title={run.conflict ? t('sync.inProgress') : t('sync.failed', { message: run.message })}
        data-testid={testIds.connections.progress}
      />
    );
  }
  if (run.state === 'finished') {
    const { snapshot } = run;
    const failed = snapshot.status === 'error' || snapshot.status === 'interrupted';
    return (
      <Alert
        severity={failed ? 'error' : snapshot.status === 'partial' ? 'warning' : 'success'}
        title={
          failed
            ? t('sync.failed', { message: snapshot.errorMessage ?? snapshot.status })
            : t('sync.finished', { status: tOr('snapshotStatus.', snapshot.status), ...snapshot.counts })
        }
        data-testid={testIds.connections.progress}
      />
    );
  }
  const snapshot = run.state === 'running' ? run.snapshot : undefined;
  const current = snapshot?.phase ?? 0;
  const byName = new Map((snapshot?.phases ?? []).map((p) => [p.name, p]));
  return (
    <div data-testid={testIds.connections.progress} role="status" aria-live="polite">
      <Text variant="bodySmall">
        {current > 0
          ? t('sync.phase', {
              n: current,
              total: PHASES.length,
              name: t(`phase.${PHASES[current - 1] ?? 'completion'}` as StringKey),
            })
          : t('sync.started')}
      </Text>
      <Stack gap={1} wrap="wrap">
        {PHASES.map((name, i) => {
          const phase = byName.get(name);
          const status = phase?.status ?? (i + 1 < current ? 'done' : undefined);
          const icon =
            status === 'done'
              ? 'check-circle'
              : status === 'failed'
                ? 'times-circle'
                : status === 'running'
                  ? 'spinner'
                  : 'circle';
          return (
            <Stack key={name} gap={0.5} alignItems="center">
              <Icon name={icon} size="sm" />
              <Text variant="bodySmall" color={status ? 'primary' : 'secondary'}>
                {t(`phase.${name}` as StringKey)}
              </Text>
            </Stack>
          );
        })}
      </Stack>
    </div>
  );
}
