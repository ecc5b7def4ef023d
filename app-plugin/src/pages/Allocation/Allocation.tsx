import React from 'react';
import { Badge, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { AllocationRule, AllocationRuleInput } from '../../api/types';
import { DeleteConfirm } from '../../components/common/DeleteConfirm';
import { Loadable } from '../../components/common/Loadable';
import { Page } from '../../components/common/Page';
import { RowIconActions } from '../../components/common/RowActions';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { useEditDialog } from '../../components/common/useEditDialog';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney, formatPercent } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { describeAssign, describeMatch, monthToDate } from './ruleForm';
import { RuleForm } from './RuleForm';

/** Allocation rules by priority with what each covers this month; editors manage them. */
function Allocation() {
  const s = useStyles2(getTableStyles);
  const canEdit = useCanWrite('Editor');
  const rules = useLoad(async () => (await api.allocationRules()).sort((a, b) => a.priority - b.priority), []);
  // Coverage of the stored rules; reloaded with the list after every change.
  const coverage = useLoad(() => api.previewAllocation(monthToDate()), [rules.value]);
  const connections = useLoad(() => api.connections().catch(() => []), []);
  const connectionName = (id: string) => connections.value?.find((c) => c.id === id)?.name;

  const { dialog, setDialog, close, save, closeDelete } = useEditDialog<AllocationRule, AllocationRuleInput>({
    create: (input) => api.createAllocationRule(input),
    update: (id, input) => api.updateAllocationRule(id, input),
    reload: rules.reload,
  });

  const add = canEdit && (
    <Button icon="plus" onClick={() => setDialog({ kind: 'form' })} data-testid={testIds.allocation.add}>
      {t('alloc.add')}
    </Button>
  );
  const matched = (id: string) => coverage.value?.rules.find((r) => r.id === id);

  const body = (
    <Loadable state={rules} empty={<Empty message={canEdit ? t('alloc.empty') : t('alloc.emptyViewer')} />}>
      {(items) => (
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
            {items.map((rule) => {
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
                      <RowIconActions
                        onEdit={() => setDialog({ kind: 'form', item: rule })}
                        onDelete={() => setDialog({ kind: 'delete', item: rule })}
                        editTestId={testIds.allocation.edit}
                        deleteTestId={testIds.allocation.remove}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Loadable>
  );

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
        <RuleForm rule={dialog.item} connections={connections.value ?? []} onSubmit={save} onDismiss={close} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteConfirm
          title={t('alloc.delete.title', { name: dialog.item.name })}
          body={t('alloc.delete.body')}
          onConfirm={() => api.deleteAllocationRule(dialog.item.id)}
          onClose={closeDelete}
        />
      )}
    </Page>
  );
}

export default Allocation;
