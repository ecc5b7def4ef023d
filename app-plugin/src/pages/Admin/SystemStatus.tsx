import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { DetailList } from '../../components/common/DetailList';
import { LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';

/** Collector version, database mode and migrations, scheduler jobs, running syncs, last errors. */
export function SystemStatus() {
  const s = useStyles2(getStyles);
  const table = useStyles2(getTableStyles);
  const status = useLoad(() => api.adminStatus(), []);
  if (status.error) {
    return <LoadError error={status.error} onRetry={status.reload} />;
  }
  if (!status.value) {
    return <Loading />;
  }
  const st = status.value;
  const { applied, latest } = st.database.migrations;
  return (
    <div data-testid={testIds.admin.status}>
      <Stack direction="column" gap={2}>
        <DetailList
          items={[
            [t('sys.version'), st.version],
            [
              t('sys.database'),
              `${st.database.mode ?? '—'} · ${st.database.embedded ? t('sys.database.embedded') : t('sys.database.external')}`,
            ],
            [t('sys.migrations'), t('sys.migrations.value', { applied, latest })],
            [t('sys.syncs'), st.syncs.running],
          ]}
        />
        {applied < latest && <Alert severity="warning" title={t('sys.migrations.behind')} />}
        <section>
          <Text element="h4">{t('sys.jobs')}</Text>
          <table className={table.table}>
            <thead>
              <tr>
                <th>{t('sys.job.name')}</th>
                <th>{t('sys.job.schedule')}</th>
                <th>{t('sys.job.last')}</th>
                <th>{t('sys.job.next')}</th>
                <th>{t('sys.job.result')}</th>
              </tr>
            </thead>
            <tbody>
              {st.scheduler.jobs.map((job) => (
                <tr key={job.name}>
                  <td>{job.name}</td>
                  <td>{job.schedule ?? '—'}</td>
                  <td>{formatDateTime(job.lastRunAt)}</td>
                  <td>{formatDateTime(job.nextRunAt)}</td>
                  <td>
                    {job.running ? (
                      <Badge color="blue" icon="sync" text="running" />
                    ) : job.lastStatus === 'error' ? (
                      <Badge color="red" text={job.lastError ?? 'error'} />
                    ) : job.lastStatus === 'ok' ? (
                      <Badge color="green" text="ok" />
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <Text element="h4">{t('sys.errors')}</Text>
          {st.lastErrors.length === 0 ? (
            <Text color="secondary">{t('sys.noErrors')}</Text>
          ) : (
            <ul className={s.errors}>
              {st.lastErrors.map((e, i) => (
                <li key={i}>
                  <Text color="secondary">{formatDateTime(e.at)}</Text>{' '}
                  {e.connectionName ? <b>{e.connectionName}: </b> : null}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  errors: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
