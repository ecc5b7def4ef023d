import React, { useEffect, useState } from 'react';
import { Alert, Badge, BadgeColor, Button, Stack, Text, Tooltip, useStyles2 } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { formatDate, formatDateTime } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';
import { Delivery, Report, reportsApi, Run, RunStatus, saveFile } from './api';
import { tr } from './strings';
import { reportTestIds } from './testIds';

const RUN_COLORS: Record<RunStatus, BadgeColor> = {
  pending: 'blue',
  rendering: 'blue',
  rendered: 'green',
  delivering: 'orange',
  delivered: 'green',
  delivery_failed: 'red',
  failed: 'red',
};
const DELIVERY_COLORS: Record<Delivery['status'], BadgeColor> = {
  pending: 'orange',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
};
/** While something is on its way the archive refreshes itself, so retries are visible as they happen. */
const REFRESH_MS = 5_000;

function DeliveryBadge({ d }: { d: Delivery }) {
  const details = [
    tr('runs.attempts', { count: d.attempts }),
    d.nextAttemptAt ? tr('runs.nextAttempt', { when: formatDateTime(d.nextAttemptAt) }) : '',
    d.lastError ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip content={details}>
      <span>
        <Badge color={DELIVERY_COLORS[d.status]} text={`${d.destinationName}: ${tr(`deliveryStatus.${d.status}`)}`} />
      </span>
    </Tooltip>
  );
}

/** A report's runs, newest first: status, deliveries with their attempts, the archived PDF. */
export function RunArchive({ report, canEdit, refreshKey }: { report: Report; canEdit: boolean; refreshKey: number }) {
  const s = useStyles2(getTableStyles);
  const runs = useLoad(() => reportsApi.runs(report.id), [report.id, refreshKey]);
  const [actionError, setActionError] = useState<string>();
  const busy = (runs.value ?? []).some((r) => ['pending', 'rendering', 'delivering'].includes(r.status));
  const { reload } = runs;
  useEffect(() => {
    if (!busy) {
      return;
    }
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [busy, reload]);

  const act = (work: () => Promise<unknown>) => {
    setActionError(undefined);
    work().then(reload, (err) => setActionError(tr('reports.actionFailed', { detail: describeError(err).message })));
  };

  if (runs.error) {
    return <LoadError error={runs.error} onRetry={reload} />;
  }
  if (!runs.value) {
    return <Loading />;
  }
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">{tr('runs.title', { name: report.name })}</Text>
      {actionError && <Alert severity="error" title={actionError} onRemove={() => setActionError(undefined)} />}
      {runs.value.length === 0 ? (
        <Text color="secondary">{tr('runs.empty')}</Text>
      ) : (
        <table className={s.table}>
          <thead>
            <tr>
              <th>{tr('runs.col.created')}</th>
              <th>{tr('runs.col.period')}</th>
              <th>{tr('runs.col.status')}</th>
              <th>{tr('runs.col.deliveries')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.value.map((run: Run) => (
              <tr key={run.id} data-testid={reportTestIds.runRow}>
                <td>
                  <div>{formatDateTime(run.createdAt)}</div>
                  <Text color="secondary" variant="bodySmall">
                    {run.trigger === 'schedule'
                      ? tr('runs.trigger.schedule')
                      : tr('runs.trigger.manual', { who: run.requestedBy ?? '—' })}
                  </Text>
                </td>
                <td>
                  {run.periodFrom && run.periodTo
                    ? `${formatDate(run.periodFrom)} – ${formatDate(new Date(Date.parse(run.periodTo) - 1).toISOString())}`
                    : '—'}
                </td>
                <td>
                  <Tooltip content={run.error ?? run.sha256 ?? ''} show={run.error || run.sha256 ? undefined : false}>
                    <span>
                      <Badge color={RUN_COLORS[run.status]} text={tr(`runStatus.${run.status}`)} />
                    </span>
                  </Tooltip>
                </td>
                <td>
                  <Stack gap={0.5} wrap="wrap">
                    {run.deliveries.map((d) => (
                      <DeliveryBadge key={d.id} d={d} />
                    ))}
                  </Stack>
                </td>
                <td>
                  <Stack gap={1} justifyContent="flex-end">
                    {run.sha256 && (
                      <Button
                        size="sm"
                        variant="secondary"
                        icon="download-alt"
                        data-testid={reportTestIds.runFile}
                        onClick={() => act(() => reportsApi.runFile(run).then(saveFile))}
                      >
                        {tr('runs.file')}
                      </Button>
                    )}
                    {canEdit && run.status === 'delivery_failed' && (
                      <Button
                        size="sm"
                        icon="repeat"
                        data-testid={reportTestIds.retry}
                        onClick={() => act(() => reportsApi.retry(run.id))}
                      >
                        {tr('runs.retry')}
                      </Button>
                    )}
                  </Stack>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
