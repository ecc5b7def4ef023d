import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Combobox, Field, Stack, Text, useStyles2 } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { installAlertRules, RuleResult } from '../../alerting/install';
import { PROVISIONED_DATASOURCE_UID, RULE_GROUPS } from '../../alerting/rules';
import { LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { useLoad } from '../../utils/useLoad';

/** Grafana's core PostgreSQL datasource type, under its current and its older id. */
const POSTGRES_TYPES = new Set(['grafana-postgresql-datasource', 'postgres']);

interface DataSource {
  uid: string;
  name: string;
  type: string;
}

async function postgresDatasources(): Promise<DataSource[]> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<DataSource[]>({ url: '/api/datasources', method: 'GET', showErrorAlert: false })
  );
  return response.data.filter((ds) => POSTGRES_TYPES.has(ds.type));
}

type Run =
  | { state: 'idle' }
  | { state: 'running'; done: RuleResult[] }
  | { state: 'done'; results: RuleResult[] }
  | { state: 'failed'; message: string };

/** Installs the repository's recommended alert rules into this org (Grafana's alerting provisioning API). */
export function AlertRules() {
  const s = useStyles2(getTableStyles);
  const datasources = useLoad(postgresDatasources, []);
  const [picked, setPicked] = useState<string>();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const list = datasources.value ?? [];
  // The provisioned datasource is the natural default when this org has it.
  const uid =
    picked ??
    list.find((ds) => ds.uid === PROVISIONED_DATASOURCE_UID)?.uid ??
    (list.length === 1 ? list[0].uid : undefined);
  const count = RULE_GROUPS.reduce((n, g) => n + g.rules.length, 0);

  const install = async () => {
    if (!uid) {
      return;
    }
    const done: RuleResult[] = [];
    setRun({ state: 'running', done });
    try {
      const results = await installAlertRules({
        datasourceUid: uid,
        onProgress: (r) => {
          done.push(r);
          setRun({ state: 'running', done: [...done] });
        },
      });
      setRun({ state: 'done', results });
    } catch (err) {
      setRun({ state: 'failed', message: t('alerts.failed', { detail: describeError(err).message }) });
    }
  };

  const results = run.state === 'done' ? run.results : run.state === 'running' ? run.done : [];
  const tally = (o: RuleResult['outcome']) => results.filter((r) => r.outcome === o).length;

  return (
    <div data-testid={testIds.admin.alerts}>
      <Stack direction="column" gap={2}>
        <Text color="secondary">{t('alerts.help')}</Text>
        <Text>{t('alerts.rules', { count, groups: RULE_GROUPS.length })}</Text>
        {datasources.error ? (
          <LoadError error={datasources.error} onRetry={datasources.reload} />
        ) : !datasources.value ? (
          <Loading />
        ) : (
          <Field label={t('alerts.datasource')} description={t('alerts.datasource.help')}>
            <Combobox
              id="alerts-datasource"
              width={50}
              options={list.map((ds) => ({ label: ds.name, value: ds.uid, description: ds.uid }))}
              value={uid ?? null}
              onChange={(o) => setPicked(o?.value)}
            />
          </Field>
        )}
        <div>
          <Button
            icon="bell"
            onClick={install}
            disabled={!uid || run.state === 'running'}
            data-testid={testIds.admin.alertsInstall}
          >
            {run.state === 'running' ? t('alerts.installing') : t('alerts.install')}
          </Button>
          {!uid && datasources.value && (
            <Text color="secondary" variant="bodySmall">
              {' '}
              {t('alerts.pickDatasource')}
            </Text>
          )}
        </div>
        <div data-testid={testIds.admin.alertsResult}>
          {run.state === 'failed' && <Alert severity="error" title={run.message} />}
          {run.state === 'done' && (
            <Alert
              severity={tally('failed') ? 'warning' : 'success'}
              title={t('alerts.done', {
                created: tally('created'),
                updated: tally('updated'),
                skipped: tally('skipped'),
                failed: tally('failed'),
              })}
            />
          )}
          {results.length > 0 && (
            <table className={s.table}>
              <tbody>
                {results.map((r) => (
                  <tr key={r.uid}>
                    <td>{r.title}</td>
                    <td>{tOr('alerts.outcome.', r.outcome)}</td>
                    <td>{r.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </Stack>
    </div>
  );
}
