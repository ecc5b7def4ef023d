import React, { useState } from 'react';
import { Badge, BadgeColor, Button, Stack, Text } from '@grafana/ui';

import type { Recommendation, RecommendationPatch } from '../../api/types';
import { ProviderBadge } from '../../components/common/ProviderBadge';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatDate, formatDateTime, formatMoney, formatPercent } from '../../utils/format';

const STATUS_COLOR: Record<string, BadgeColor> = {
  open: 'blue',
  accepted: 'green',
  dismissed: 'darkgrey',
  snoozed: 'purple',
  done: 'green',
  resolved: 'darkgrey',
};

interface Props {
  recommendation: Recommendation;
  canEdit: boolean;
  highlighted: boolean;
  onPatch: (patch: RecommendationPatch) => void;
  onDismiss: () => void;
  onSnooze: () => void;
  className?: string;
}

function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  return (
    <dl>
      {Object.entries(evidence).map(([key, value]) => (
        <React.Fragment key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

export function RecommendationRow({
  recommendation: r,
  canEdit,
  highlighted,
  onPatch,
  onDismiss,
  onSnooze,
  className,
}: Props) {
  const [open, setOpen] = useState(highlighted);
  return (
    <>
      <tr data-testid={testIds.recommendations.row} className={className} aria-current={highlighted || undefined}>
        <td>
          <Stack direction="column" gap={0.5}>
            <Text weight="medium">{r.title}</Text>
            <Stack gap={1} wrap="wrap">
              <Badge color="blue" text={tOr('recKind.', r.kind)} />
              {r.provider && <ProviderBadge provider={r.provider} />}
            </Stack>
            <Text color="secondary" variant="bodySmall">
              {r.action}
            </Text>
            <Button size="sm" fill="text" icon={open ? 'angle-down' : 'angle-right'} onClick={() => setOpen(!open)}>
              {open ? t('recs.hideEvidence') : t('recs.evidence')}
            </Button>
          </Stack>
        </td>
        <td>
          {r.resourceName ?? '—'}
          {r.connectionName && (
            <Text color="secondary" variant="bodySmall" element="p">
              {r.connectionName}
            </Text>
          )}
        </td>
        <td className="num">
          <Text weight="medium">{formatMoney(r.estimatedMonthlySavings, r.currency)}</Text>
          {r.currentMonthlyCost && (
            <Text color="secondary" variant="bodySmall" element="p">
              {t('recs.current', { amount: formatMoney(r.currentMonthlyCost, r.currency) })}
            </Text>
          )}
        </td>
        <td className="num">{formatPercent(r.confidence * 100, 0)}</td>
        <td>
          <Badge color={STATUS_COLOR[r.status] ?? 'darkgrey'} text={tOr('recStatus.', r.status)} />
          {r.status === 'snoozed' && r.snoozedUntil && (
            <Text color="secondary" variant="bodySmall" element="p">
              {t('recs.snoozedUntil', { date: formatDate(r.snoozedUntil) })}
            </Text>
          )}
          {r.statusReason && (
            <Text color="secondary" variant="bodySmall" element="p">
              {r.statusReason}
            </Text>
          )}
        </td>
        {canEdit && (
          <td>
            <Stack gap={1} wrap="wrap">
              {r.status === 'open' && (
                <>
                  <Button
                    size="sm"
                    icon="check"
                    onClick={() => onPatch({ status: 'accepted' })}
                    data-testid={testIds.recommendations.accept}
                  >
                    {t('recs.accept')}
                  </Button>
                  <Button size="sm" variant="secondary" onClick={onSnooze} data-testid={testIds.recommendations.snooze}>
                    {t('recs.snooze')}
                  </Button>
                  <Button
                    size="sm"
                    variant="secondary"
                    fill="outline"
                    onClick={onDismiss}
                    data-testid={testIds.recommendations.dismiss}
                  >
                    {t('recs.dismiss')}
                  </Button>
                </>
              )}
              {r.status === 'accepted' && (
                <Button size="sm" icon="check-circle" onClick={() => onPatch({ status: 'done' })}>
                  {t('recs.done')}
                </Button>
              )}
              {['accepted', 'dismissed', 'snoozed'].includes(r.status) && (
                <Button
                  size="sm"
                  variant="secondary"
                  fill="outline"
                  onClick={() => onPatch({ status: 'open' })}
                  data-testid={testIds.recommendations.reopen}
                >
                  {t('recs.reopen')}
                </Button>
              )}
            </Stack>
          </td>
        )}
      </tr>
      {open && (
        <tr className={className}>
          <td colSpan={canEdit ? 6 : 5}>
            <Evidence evidence={r.evidence} />
            <Text color="secondary" variant="bodySmall">
              {t('recs.detected', { first: formatDateTime(r.firstDetectedAt), last: formatDateTime(r.lastDetectedAt) })}
            </Text>
          </td>
        </tr>
      )}
    </>
  );
}
