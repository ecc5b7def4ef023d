import React from 'react';
import { Badge, BadgeColor, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import type { Budget, BudgetInput } from '../../api/types';
import { DeleteConfirm } from '../../components/common/DeleteConfirm';
import { Loadable } from '../../components/common/Loadable';
import { Page } from '../../components/common/Page';
import { RowIconActions } from '../../components/common/RowActions';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { useEditDialog } from '../../components/common/useEditDialog';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatDate, formatMoney, formatPercent } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { BudgetForm } from './BudgetForm';
import { BudgetProgress } from './BudgetProgress';

const STATE_COLOR: Record<string, BadgeColor> = { ok: 'green', warning: 'orange', critical: 'red', exceeded: 'red' };

function scopeText(b: Budget, connectionName: (id: string) => string | undefined): string {
  const kind = tOr('scope.', b.scope.kind);
  if (b.scope.kind === 'tenant') {
    return kind;
  }
  if (b.scope.kind === 'tag') {
    return `${kind}: ${b.scope.tagKey}=${b.scope.value}`;
  }
  const value = b.scope.kind === 'connection' ? (connectionName(b.scope.value ?? '') ?? b.scope.value) : b.scope.value;
  return `${kind}: ${value}`;
}

/** Budgets with actual vs budget vs forecast; editors create, change and delete them. */
function Budgets() {
  const s = useStyles2(getTableStyles);
  const canEdit = useCanWrite('Editor');
  const budgets = useLoad(() => api.budgets(), []);
  const connections = useLoad(() => api.connections().catch(() => []), []);
  const connectionName = (id: string) => connections.value?.find((c) => c.id === id)?.name;

  const { dialog, setDialog, close, save, closeDelete } = useEditDialog<Budget, BudgetInput>({
    create: (input) => api.createBudget(input),
    update: (id, input) => api.updateBudget(id, input),
    reload: budgets.reload,
  });

  const add = canEdit && (
    <Button icon="plus" onClick={() => setDialog({ kind: 'form' })} data-testid={testIds.budgets.add}>
      {t('budgets.add')}
    </Button>
  );

  const body = (
    <Loadable state={budgets} empty={<Empty message={canEdit ? t('budgets.empty') : t('budgets.emptyViewer')} />}>
      {(items) => (
        <table className={s.table}>
          <thead>
            <tr>
              <th>{t('budgets.col.name')}</th>
              <th>{t('budgets.col.scope')}</th>
              <th>{t('budgets.col.period')}</th>
              <th>{t('budgets.col.progress')}</th>
              <th>{t('budgets.col.state')}</th>
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {items.map((b) => {
              const st = b.status;
              const crossed = st.crossed.map((c) => t(`budgets.crossed.${c.kind}`, { threshold: c.threshold }));
              return (
                <tr key={b.id} data-testid={testIds.budgets.row}>
                  <td>
                    <Text weight="medium">{b.name}</Text>
                    <Text color="secondary" variant="bodySmall" element="p">
                      {formatMoney(b.amount, b.currency)}
                    </Text>
                  </td>
                  <td>{scopeText(b, connectionName)}</td>
                  <td>
                    {tOr('period.', b.period)}
                    <Text color="secondary" variant="bodySmall" element="p">
                      {t('budgets.periodRange', { from: formatDate(st.periodStart), to: formatDate(st.periodEnd) })}
                    </Text>
                  </td>
                  <td>
                    <Stack direction="column" gap={0.5}>
                      <BudgetProgress
                        usedPercent={st.usedPercent}
                        forecastPercent={st.forecastPercent}
                        state={st.state}
                        label={b.name}
                      />
                      <Text variant="bodySmall">
                        {t('budgets.actual', {
                          amount: formatMoney(st.actual, b.currency),
                          percent: formatPercent(st.usedPercent),
                        })}{' '}
                        {t('budgets.of', { amount: formatMoney(b.amount, b.currency) })}
                      </Text>
                      <Text variant="bodySmall" color="secondary">
                        {st.forecast !== null
                          ? t('budgets.forecast', {
                              amount: formatMoney(st.forecast, b.currency),
                              percent: formatPercent(st.forecastPercent),
                            })
                          : t('budgets.noForecast')}
                        {st.burnRatePerDay !== null &&
                          ` · ${t('budgets.burn', { amount: formatMoney(st.burnRatePerDay, b.currency) })}`}
                      </Text>
                    </Stack>
                  </td>
                  <td>
                    <Badge color={STATE_COLOR[st.state] ?? 'darkgrey'} text={tOr('budgetState.', st.state)} />
                    {crossed.length > 0 && (
                      <Text color="secondary" variant="bodySmall" element="p">
                        {t('budgets.crossed', { list: crossed.join(', ') })}
                      </Text>
                    )}
                  </td>
                  {canEdit && (
                    <td>
                      <RowIconActions
                        onEdit={() => setDialog({ kind: 'form', item: b })}
                        onDelete={() => setDialog({ kind: 'delete', item: b })}
                        editTestId={testIds.budgets.edit}
                        deleteTestId={testIds.budgets.remove}
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
      title={t('page.budgets')}
      testId={testIds.budgets.container}
      subTitle={t('budgets.subtitle')}
      actions={add || undefined}
    >
      {body}
      {dialog?.kind === 'form' && (
        <BudgetForm budget={dialog.item} connections={connections.value ?? []} onSubmit={save} onDismiss={close} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteConfirm
          title={t('budgets.delete.title', { name: dialog.item.name })}
          body={t('budgets.delete.body')}
          onConfirm={() => api.deleteBudget(dialog.item.id)}
          onClose={closeDelete}
        />
      )}
    </Page>
  );
}

export default Budgets;
