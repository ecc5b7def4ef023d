import React from 'react';
import { Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { fieldValues, framesOf } from '../../api/frames';
import type { Resource } from '../../api/types';
import { Loadable } from '../../components/common/Loadable';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';

interface Change {
  time: number;
  action: string;
  text: string;
}

/**
 * The resource's recorded changes, from the `changes` query of its connection (the query filters by
 * connection; the rows carry the InfraZen resource id, matched here).
 */
async function loadHistory(resource: Resource, from: Date, to: Date): Promise<Change[]> {
  const response = await api.query({
    from: from.toISOString(),
    to: to.toISOString(),
    queries: [
      {
        refId: 'changes',
        queryType: 'changes',
        filters: [{ dimension: 'connection', op: 'include', values: [resource.connectionId] }],
      },
    ],
  });
  const frame = framesOf(response, 'changes')[0];
  const times = fieldValues(frame, 'time');
  const ids = fieldValues(frame, 'resource_id');
  const actions = fieldValues(frame, 'action');
  const texts = fieldValues(frame, 'text');
  return times
    .map((time, i) => ({
      time: Number(time),
      id: ids[i],
      action: String(actions[i] ?? ''),
      text: String(texts[i] ?? ''),
    }))
    .filter((row) => row.id === resource.id)
    .map(({ time, action, text }) => ({ time, action, text }));
}

export function ResourceHistory({ resource, from, to }: { resource: Resource; from: Date; to: Date }) {
  const s = useStyles2(getTableStyles);
  const history = useLoad(() => loadHistory(resource, from, to), [resource.id]);
  return (
    <section data-testid={testIds.resources.history}>
      <Text element="h4">{t('resource.history')}</Text>
      <Loadable state={history} empty={<Text color="secondary">{t('resource.historyEmpty')}</Text>}>
        {(changes) => (
          <table className={s.table}>
            <tbody>
              {changes.map((c, i) => (
                <tr key={i}>
                  <td>{formatDateTime(new Date(c.time).toISOString())}</td>
                  <td>{tOr('diff.', c.action)}</td>
                  <td>{c.action === 'updated' ? c.text : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loadable>
    </section>
  );
}
