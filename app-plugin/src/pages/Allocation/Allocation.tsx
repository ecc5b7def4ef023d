import React, { useState } from 'react';
import { Badge, Button, IconButton, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { AllocationRule, AllocationRuleInput } from '../../api/types';
import { DeleteConfirm } from '../../components/common/DeleteConfirm';
import { Page } from '../../components/common/Page';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney, formatPercent } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { describeAssign, describeMatch, monthToDate } from './ruleForm';
import { RuleForm } from './RuleForm';

type Dialog = { kind: 'form'; rule?: AllocationRule } | { kind: 'delete'; rule: AllocationRule } | undefined;

/** Allocation rules by priority with what each covers this month; editors manage them. */
function Allocation() {
  const s = useStyles2(getTableStyles);
  const canEdit = useCanWrite('Editor');
  const rules = useLoad(async () => (await api.allocationRules()).sort((a, b) => a.priority - b.priority), []);
  // Coverage of the stored rules; reloaded with the list after every change.
  const coverage = useLoad(() => api.previewAllocation(monthToDate()), [rules.value]);
  const connections = useLoad(() => api.connections().catch(() => []), []);
  const [dialog, setDialog] = useState<Dialog>();
  const connectionName = (id: string) => connections.value?.find((c) => c.id === id)?.name;

  const save = async (input: AllocationRuleInput) => {
    if (dialog?.kind === 'form' && dialog.rule) {
      await api.updateAllocationRule(dialog.rule.id, input);
    } else {
      await api.createAllocationRule(input);
    }
    setDialog(undefined);
    rules.reload();
  };

  const add = canEdit && (
    <Button icon="plus" onClick={() => setDialog({ kind: 'form' })} data-testid={testIds.allocation.add}>
      {t('alloc.add')}
    </Button>
  );
  const matched = (id: string) => coverage.value?.rules.find((r) => r.id === id);

  let body: React.ReactNode;
  if (rules.error) {
    body = <LoadError error={rules.error} onRetry={rules.reload} />;
  } else if (!rules.value) {
    body = <Loading />;
  } else if (rules.value.length === 0) {
    body = <Empty message={canEdit ? t('alloc.empty') : t('alloc.emptyViewer')} />;
  } else {
    body = (
      <table className={s.table}>
        <thead>
          <tr>
            <th className="num">{t('alloc.col.priority')}</th>
            <th>{t('alloc.col.name')}</th>
            <th>{t('alloc.col.match')}</th>
            <th>{t('alloc.col.assign')}</th>
            <th className="num">{t('alloc.col.covered')}</th>
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {rules.value.map((rule) => {
            const m = matched(rule.id);
            return (
              <tr key={rule.id} data-testid={testIds.allocation.row}>
                <td className="num">{rule.priority}</td>
                <td>
                  <Stack gap={1} alignItems="center">
                    <Text weight="medium">{rule.name}</Text>
                    {!rule.enabled && <Badge color="darkgrey" text={t('alloc.disabled')} />}
                  </Stack>
                </td>
                <td>{describeMatch(rule.match, connectionName)}</td>
                <td>{describeAssign(rule)}</td>
                <td className="num">
                  {m ? (
                    <>
                      {formatMoney(m.matchedCost, coverage.value?.currency)}
                      <Text color="secondary" variant="bodySmall" element="p">
                        {t('alloc.resources', { count: m.matchedResources })}
                      </Text>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                {canEdit && (
                  <td>
                    <Stack gap={1}>
                      <IconButton
                        name="pen"
                        tooltip={t('action.edit')}
                        onClick={() => setDialog({ kind: 'form', rule })}
                        data-testid={testIds.allocation.edit}
                      />
                      <IconButton
                        name="trash-alt"
                        tooltip={t('action.delete')}
                        onClick={() => setDialog({ kind: 'delete', rule })}
                        data-testid={testIds.allocation.remove}
                      />
                    </Stack>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    );
  }

  return (
    <Page
      title={t('page.allocation')}
      testId={testIds.allocation.container}
      subTitle={t('alloc.subtitle')}
      actions={add || undefined}
    >
      <Stack direction="column" gap={2}>
        <div data-testid={testIds.allocation.coverage}>
          {coverage.value ? (
            <Text weight="medium">
              {t('alloc.coverage', {
                percent: formatPercent(coverage.value.coveragePercent),
                covered: formatMoney(coverage.value.coveredCost, coverage.value.currency),
                total: formatMoney(coverage.value.totalCost, coverage.value.currency),
              })}
            </Text>
          ) : coverage.error && rules.value ? (
            <Text color="secondary">
              {t('alloc.coverageUnavailable', { detail: describeError(coverage.error).message })}
            </Text>
          ) : null}
        </div>
        {body}
      </Stack>
      {dialog?.kind === 'form' && (
        <RuleForm
          rule={dialog.rule}
          connections={connections.value ?? []}
          onSubmit={save}
          onDismiss={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteConfirm
          title={t('alloc.delete.title', { name: dialog.rule.name })}
          body={t('alloc.delete.body')}
          onConfirm={() => api.deleteAllocationRule(dialog.rule.id)}
          onClose={(done) => {
            setDialog(undefined);
            if (done) {
              rules.reload();
            }
          }}
        />
      )}
    </Page>
  );
}

export default Allocation;
