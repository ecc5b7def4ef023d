import React from 'react';
import { Decimal } from 'decimal.js';
import { Card, LinkButton, Stack } from '@grafana/ui';

import { isNotFound } from '../../api/errors';
import type { Recommendation, RecommendationList } from '../../api/types';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { pageUrl, ROUTES } from '../../constants';
import { t } from '../../i18n';
import { formatMoney } from '../../utils/format';
import type { Loaded } from '../../utils/useLoad';

const TOP = 5;

function savingsOf(r: Recommendation): Decimal {
  return new Decimal(r.estimatedMonthlySavings ?? 0);
}

/** The open recommendations that save the most, largest first. */
export function topRecommendations(items: Recommendation[], count = TOP): Recommendation[] {
  return items
    .filter((r) => r.status === 'open')
    .sort((a, b) => savingsOf(b).comparedTo(savingsOf(a)))
    .slice(0, count);
}

export function TopRecommendations({ recommendations }: { recommendations: Loaded<RecommendationList> }) {
  if (recommendations.error) {
    // Until the analytics endpoints exist, the section says so instead of failing the page.
    return isNotFound(recommendations.error) ? (
      <Empty compact message={t('error.notAvailable')} />
    ) : (
      <LoadError error={recommendations.error} onRetry={recommendations.reload} />
    );
  }
  if (!recommendations.value) {
    return <Loading />;
  }
  const top = topRecommendations(recommendations.value.items);
  return (
    <div data-testid={testIds.overview.topRecommendations}>
      {top.length === 0 ? (
        <Empty compact message={t('overview.recommendations.empty')} />
      ) : (
        top.map((r) => (
          <Card key={r.id} href={pageUrl(ROUTES.Recommendations, { id: r.id })} isCompact>
            <Card.Heading>{r.title}</Card.Heading>
            <Card.Meta>
              {[
                r.resourceName ?? r.connectionName ?? '',
                t('overview.recommendations.savings', { amount: formatMoney(r.estimatedMonthlySavings, r.currency) }),
              ].filter(Boolean)}
            </Card.Meta>
          </Card>
        ))
      )}
      <Stack justifyContent="flex-end">
        <LinkButton variant="secondary" fill="text" icon="arrow-right" href={pageUrl(ROUTES.Recommendations)}>
          {t('overview.recommendations.all')}
        </LinkButton>
      </Stack>
    </div>
  );
}
