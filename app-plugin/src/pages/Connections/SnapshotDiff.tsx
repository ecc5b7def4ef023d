import React from 'react';
import { Decimal } from 'decimal.js';
import { Alert, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import type { ResourceState, Snapshot } from '../../api/types';
import { LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { StringKey, t } from '../../i18n';
import { formatDateTime, formatMoney } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';

const STATES_SHOWN = 500;
const ACTIONS = ['created', 'updated', 'deleted'] as const;

function show(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "status: RUNNING → STOPPED; dailyCost: 22 → 30" for an update; the state's cost otherwise. */
export function describeState(state: ResourceState): string {
  if (state.action !== 'updated') {
    return state.dailyCost !== null ? formatMoney(state.dailyCost, state.currency) : '';
  }
  return Object.entries(state.changes)
    .map(([field, change]) => {
      const c = (change ?? {}) as { from?: unknown; to?: unknown };
      return `${field}: ${show(c.from)} → ${show(c.to)}`;
    })
    .join('; ');
}

function CostLine({ snapshot, previous }: { snapshot: Snapshot; previous?: Snapshot }) {
  const currency = snapshot.currency;
  if (snapshot.totalDailyCost === null) {
    return null;
  }
  if (!previous || previous.totalDailyCost === null || previous.currency !== currency) {
    return <Text>{t('diff.costFirst', { after: formatMoney(snapshot.totalDailyCost, currency) })}</Text>;
  }
  const delta = new Decimal(snapshot.totalDailyCost).minus(previous.totalDailyCost);
  const sign = delta.isPositive() && !delta.isZero() ? '+' : '';
  return (
    <Text color={delta.isPositive() && !delta.isZero() ? 'error' : delta.isNegative() ? 'success' : undefined}>
      {t('diff.cost', {
        before: formatMoney(previous.totalDailyCost, currency),
        after: formatMoney(snapshot.totalDailyCost, currency),
        delta: `${sign}${formatMoney(delta.toFixed(2), currency)}`,
      })}
    </Text>
  );
}

/** What one sync changed: resources created, updated (field by field) and deleted, and the cost change. */
export function SnapshotDiff({ snapshot, previous }: { snapshot: Snapshot; previous?: Snapshot }) {
  const styles = useStyles2(getTableStyles);
  const states = useLoad(
    () => api.snapshot(snapshot.id, { states: 'changed', statesLimit: STATES_SHOWN }),
    [snapshot.id]
  );
  return (
    <div data-testid={testIds.connections.diff}>
      <Text element="h4">{t('diff.title', { when: formatDateTime(snapshot.startedAt) })}</Text>
      <CostLine snapshot={snapshot} previous={previous} />
      {snapshot.endpointErrors.length > 0 && (
        <Alert severity="warning" title={t('diff.endpointErrors')}>
          <ul>
            {snapshot.endpointErrors.map((e, i) => (
              <li key={i}>
                {e.endpoint}
                {e.region ? ` (${e.region})` : ''}: {e.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {states.error ? (
        <LoadError error={states.error} onRetry={states.reload} />
      ) : !states.value ? (
        <Loading />
      ) : states.value.states.items.length === 0 ? (
        <Text color="secondary">{t('diff.none')}</Text>
      ) : (
        <Stack direction="column" gap={2}>
          {ACTIONS.map((action) => {
            const items = states.value!.states.items.filter((s) => s.action === action);
            return items.length === 0 ? null : (
              <section key={action}>
                <Text element="h5">
                  {t(`diff.${action}` as StringKey)} ({items.length})
                </Text>
                <table className={styles.table}>
                  <thead>
                    <tr>
                      <th>{t('diff.resource')}</th>
                      <th>{t('diff.type')}</th>
                      <th>{t('diff.what')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((s) => (
                      <tr key={`${s.providerResourceId}-${s.action}`}>
                        <td>{s.resourceName}</td>
                        <td>{s.resourceType}</td>
                        <td>{describeState(s)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
          {states.value.states.total > states.value.states.items.length && (
            <Text color="secondary" variant="bodySmall">
              {t('diff.more', { shown: states.value.states.items.length, total: states.value.states.total })}
            </Text>
          )}
        </Stack>
      )}
    </div>
  );
}
