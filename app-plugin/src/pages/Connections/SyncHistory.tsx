import React, { useState } from 'react';
import { cx } from '@emotion/css';
import { Button, Drawer, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import type { Connection } from '../../api/types';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatDateTime, formatDuration, formatMoney } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';
import { SnapshotDiff } from './SnapshotDiff';

const HISTORY_SIZE = 30;

/** A connection's recent syncs; choosing one shows what it changed. */
export function SyncHistory({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const s = useStyles2(getTableStyles);
  const history = useLoad(() => api.connectionSnapshots(connection.id, HISTORY_SIZE), [connection.id]);
  const [selected, setSelected] = useState<string>();
  const items = history.value?.items ?? [];
  const index = items.findIndex((snap) => snap.id === selected);

  return (
    <Drawer title={t('history.title', { name: connection.name })} onClose={onClose} size="lg">
      {history.error ? (
        <LoadError error={history.error} onRetry={history.reload} />
      ) : !history.value ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty compact message={t('history.empty')} />
      ) : (
        <>
          <table className={s.table}>
            <thead>
              <tr>
                <th>{t('history.started')}</th>
                <th>{t('history.trigger')}</th>
                <th>{t('history.status')}</th>
                <th>{t('history.duration')}</th>
                <th>{t('history.found')}</th>
                <th>{t('history.changes')}</th>
                <th>{t('history.dailyCost')}</th>
                <th>{t('history.errors')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((snap) => (
                <tr
                  key={snap.id}
                  data-testid={testIds.connections.historyRow}
                  onClick={() => setSelected(snap.id)}
                  aria-selected={snap.id === selected}
                  className={cx(s.clickable, snap.id === selected && s.selected)}
                >
                  <td>
                    <Button size="sm" fill="text" onClick={() => setSelected(snap.id)}>
                      {formatDateTime(snap.startedAt)}
                    </Button>
                  </td>
                  <td>{snap.trigger}</td>
                  <td>{tOr('snapshotStatus.', snap.status)}</td>
                  <td>{formatDuration(snap.durationMs)}</td>
                  <td>{snap.counts.found}</td>
                  <td>
                    {snap.counts.created} / {snap.counts.updated} / {snap.counts.deleted}
                  </td>
                  <td>{formatMoney(snap.totalDailyCost, snap.currency)}</td>
                  <td>{snap.endpointErrors.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {index < 0 ? (
            <Text color="secondary">{t('history.select')}</Text>
          ) : (
            // The list is newest first, so the sync before the selected one is the next row.
            <SnapshotDiff snapshot={items[index]} previous={items[index + 1]} />
          )}
        </>
      )}
    </Drawer>
  );
}
