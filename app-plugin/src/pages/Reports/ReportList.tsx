import React, { Fragment } from 'react';
import { Badge, Button, Dropdown, Menu, Stack, Text, useStyles2 } from '@grafana/ui';

import { EditDeleteButtons } from '../../components/common/RowActions';
import { getTableStyles } from '../../components/common/styles';
import { formatDateTime } from '../../utils/format';
import { FileFormat, Report } from './api';
import { RunArchive } from './RunArchive';
import { tr } from './strings';
import { reportTestIds } from './testIds';

interface Props {
  reports: Report[];
  canEdit: boolean;
  openArchive?: string;
  refreshKey: number;
  onPreview: (report: Report) => void;
  onDownload: (report: Report, format: FileFormat) => void;
  onRun: (report: Report) => void;
  onEdit: (report: Report) => void;
  onDelete: (report: Report) => void;
  onToggleArchive: (report: Report) => void;
}

function scheduleText(report: Report): string {
  if (!report.schedule) {
    return tr('reports.onDemand');
  }
  return tr('reports.scheduleText', { cron: report.schedule.cron, timezone: report.schedule.timezone });
}

/** The tenant's reports with their schedule and last run; each row opens its archive below it. */
export function ReportList(p: Props) {
  const s = useStyles2(getTableStyles);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th>{tr('reports.col.name')}</th>
          <th>{tr('reports.col.period')}</th>
          <th>{tr('reports.col.schedule')}</th>
          <th>{tr('reports.col.lastRun')}</th>
          <th>{tr('reports.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {p.reports.map((r) => (
          <Fragment key={r.id}>
            <tr data-testid={reportTestIds.row}>
              <td>
                <Text weight="medium">{r.name}</Text>
              </td>
              <td>{tr(`period.${r.definition.period.kind}`)}</td>
              <td>
                <div>{scheduleText(r)}</div>
                {r.nextRunAt && (
                  <Text color="secondary" variant="bodySmall">
                    {tr('reports.nextRun', { when: formatDateTime(r.nextRunAt) })}
                  </Text>
                )}
              </td>
              <td>
                {r.lastRun ? (
                  <Stack gap={1} alignItems="center">
                    <Badge
                      color={['failed', 'delivery_failed'].includes(r.lastRun.status) ? 'red' : 'green'}
                      text={tr(`runStatus.${r.lastRun.status}`)}
                    />
                    <Text variant="bodySmall">{formatDateTime(r.lastRun.createdAt)}</Text>
                  </Stack>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <Stack gap={1} wrap="wrap">
                  <Button
                    size="sm"
                    variant="secondary"
                    icon="eye"
                    data-testid={reportTestIds.preview}
                    onClick={() => p.onPreview(r)}
                  >
                    {tr('reports.preview')}
                  </Button>
                  <Dropdown
                    overlay={
                      <Menu>
                        {(['pdf', 'xlsx', 'csv'] as const).map((f) => (
                          <Menu.Item key={f} label={f.toUpperCase()} onClick={() => p.onDownload(r, f)} />
                        ))}
                      </Menu>
                    }
                  >
                    <Button size="sm" variant="secondary" icon="download-alt" data-testid={reportTestIds.download}>
                      {tr('reports.download')}
                    </Button>
                  </Dropdown>
                  <Button
                    size="sm"
                    variant="secondary"
                    icon="archive-alt"
                    data-testid={reportTestIds.archive}
                    onClick={() => p.onToggleArchive(r)}
                  >
                    {tr('reports.archive')}
                  </Button>
                  {p.canEdit && (
                    <>
                      <Button size="sm" icon="play" data-testid={reportTestIds.runNow} onClick={() => p.onRun(r)}>
                        {tr('reports.runNow')}
                      </Button>
                      <EditDeleteButtons
                        editLabel={tr('reports.edit')}
                        deleteLabel={tr('reports.delete')}
                        onEdit={() => p.onEdit(r)}
                        onDelete={() => p.onDelete(r)}
                        editTestId={reportTestIds.edit}
                        deleteTestId={reportTestIds.remove}
                      />
                    </>
                  )}
                </Stack>
              </td>
            </tr>
            {p.openArchive === r.id && (
              <tr>
                <td colSpan={5}>
                  <RunArchive report={r} canEdit={p.canEdit} refreshKey={p.refreshKey} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
