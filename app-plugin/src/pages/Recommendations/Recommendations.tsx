import React, { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Badge, InlineField, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { RECOMMENDATION_STATUSES, Recommendation, RecommendationPatch, RecommendationStatus } from '../../api/types';
import { Page } from '../../components/common/Page';
import { Loadable } from '../../components/common/Loadable';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatMoney } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { RecommendationRow } from './RecommendationRow';
import { DismissModal, SnoozeModal } from './StatusModals';

type Filter = RecommendationStatus | 'all';
type Dialog = { kind: 'dismiss' | 'snooze'; recommendation: Recommendation } | undefined;

/** The savings backlog: totals by status, a table with evidence, and status changes for editors. */
function Recommendations() {
  const s = useStyles2(getTableStyles);
  const [params] = useSearchParams();
  const highlight = params.get('id');
  const [filter, setFilter] = useState<Filter>(highlight ? 'all' : 'open');
  const canEdit = useCanWrite('Editor');
  const list = useLoad(() => api.recommendations(filter === 'all' ? {} : { status: [filter] }), [filter]);
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<string>();

  const patch = async (r: Recommendation, body: RecommendationPatch) => {
    await api.updateRecommendation(r.id, body);
    setDialog(undefined);
    list.reload();
  };
  const patchInline = (r: Recommendation, body: RecommendationPatch) => {
    setActionError(undefined);
    patch(r, body).catch((err) => setActionError(t('error.actionFailed', { detail: describeError(err).message })));
  };

  const totals = list.value?.totals;
  const items = list.value?.items ?? [];

  return (
    <Page title={t('page.recommendations')} testId={testIds.recommendations.container} subTitle={t('recs.subtitle')}>
      <Stack direction="column" gap={2}>
        {totals && (
          <div data-testid={testIds.recommendations.totals}>
            <Stack gap={2} wrap="wrap" alignItems="center">
              <Text weight="medium">
                {t('recs.totals.potential', { amount: formatMoney(totals.potentialMonthlySavings, totals.currency) })}
              </Text>
              <Text color="success">
                {t('recs.totals.realized', { amount: formatMoney(totals.realizedMonthlySavings, totals.currency) })}
              </Text>
              {RECOMMENDATION_STATUSES.filter((st) => totals.byStatus[st]).map((st) => (
                <Badge
                  key={st}
                  color="darkgrey"
                  text={`${tOr('recStatus.', st)}: ${t('recs.totals.status', {
                    count: totals.byStatus[st]!.count,
                    amount: formatMoney(totals.byStatus[st]!.monthlySavings, totals.currency),
                  })}`}
                />
              ))}
            </Stack>
          </div>
        )}
        <InlineField label={t('recs.filter.status')}>
          <RadioButtonGroup<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              ...RECOMMENDATION_STATUSES.map((st) => ({ label: tOr('recStatus.', st), value: st })),
              { label: t('recs.filter.all'), value: 'all' as const },
            ]}
          />
        </InlineField>
        {actionError && <Alert severity="error" title={actionError} onRemove={() => setActionError(undefined)} />}
        <Loadable state={list} empty={<Empty compact message={t('recs.empty')} />} isEmpty={() => items.length === 0}>
          {() => (
            <table className={s.table}>
              <thead>
                <tr>
                  <th>{t('recs.col.recommendation')}</th>
                  <th>{t('recs.col.resource')}</th>
                  <th className="num">{t('recs.col.savings')}</th>
                  <th className="num">{t('recs.col.confidence')}</th>
                  <th>{t('recs.col.status')}</th>
                  {canEdit && <th>{t('recs.col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <RecommendationRow
                    key={r.id}
                    recommendation={r}
                    canEdit={canEdit}
                    highlighted={r.id === highlight}
                    className={r.id === highlight ? s.selected : undefined}
                    onPatch={(body) => patchInline(r, body)}
                    onDismiss={() => setDialog({ kind: 'dismiss', recommendation: r })}
                    onSnooze={() => setDialog({ kind: 'snooze', recommendation: r })}
                  />
                ))}
              </tbody>
            </table>
          )}
        </Loadable>
      </Stack>
      {dialog?.kind === 'dismiss' && (
        <DismissModal
          recommendation={dialog.recommendation}
          onSubmit={(body) => patch(dialog.recommendation, body)}
          onDismiss={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'snooze' && (
        <SnoozeModal
          recommendation={dialog.recommendation}
          onSubmit={(body) => patch(dialog.recommendation, body)}
          onDismiss={() => setDialog(undefined)}
        />
      )}
    </Page>
  );
}

export default Recommendations;
