import React from 'react';
import { Drawer, Stack, Text } from '@grafana/ui';

import type { Resource } from '../../api/types';
import { Detail, DetailList } from '../../components/common/DetailList';
import { ProviderBadge } from '../../components/common/ProviderBadge';
import { QueryChart } from '../../components/common/QueryChart';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { formatDateTime, formatMoney, formatNumber } from '../../utils/format';
import { FlagBadges } from './ResourceSection';
import { ResourceHistory } from './ResourceHistory';

const DAY = 86_400_000;
/** Shown in their own rows; the rest of `specs` is listed as is. */
const KNOWN_SPECS = new Set([
  'vcpus',
  'cpu',
  'ramMb',
  'memoryMb',
  'diskGb',
  'totalStorageGb',
  'sizeGb',
  'ips',
  'publicIps',
  'volumeIds',
]);

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(text).join(', ');
  }
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function volumeText(v: Resource): string {
  const size = num(v.specs.sizeGb);
  return size !== undefined ? `${v.name} (${t('units.gb', { n: formatNumber(size) })})` : v.name;
}

interface Props {
  resource: Resource;
  /** The whole inventory: volumes folded into this VM are listed as attached. */
  inventory: Resource[];
  onClose: () => void;
  now?: Date;
}

/** Specs, costs, utilization and state history of one resource. */
export function ResourceDrawer({ resource: r, inventory, onClose, now = new Date() }: Props) {
  const specs = r.specs ?? {};
  const ramMb = num(specs.ramMb) ?? num(specs.memoryMb);
  const storage = num(specs.totalStorageGb) ?? num(specs.diskGb) ?? num(specs.sizeGb);
  const ips = [
    ...(Array.isArray(specs.ips) ? specs.ips : []),
    ...(Array.isArray(specs.publicIps) ? specs.publicIps : []),
  ];
  const volumes = inventory.filter((v) => v.parentId === r.id);
  const other = Object.entries(specs).filter(
    ([k, v]) => !KNOWN_SPECS.has(k) && v !== null && v !== undefined && v !== ''
  );
  const scope = [{ dimension: 'connection' as const, op: 'include' as const, values: [r.connectionId] }];

  return (
    <Drawer
      title={t('resource.title', { name: r.name })}
      subtitle={t('resource.ids', { providerId: r.providerResourceId, id: r.id })}
      onClose={onClose}
      size="lg"
    >
      <div data-testid={testIds.resources.drawer}>
        <Stack direction="column" gap={3}>
          <Stack gap={1} alignItems="center" wrap="wrap">
            <ProviderBadge provider={r.provider} />
            <Text>
              {r.type} · {r.status}
              {r.region ? ` · ${r.region}` : ''}
            </Text>
            <FlagBadges resource={r} />
          </Stack>

          <section>
            <Text element="h4">{t('resource.specs')}</Text>
            <DetailList
              items={[
                [t('resource.vcpus'), num(specs.vcpus) !== undefined ? formatNumber(num(specs.vcpus)) : undefined],
                ramMb !== undefined && [t('resource.ram'), t('units.gb', { n: formatNumber(ramMb / 1024, 1) })],
                storage !== undefined && [t('resource.storage'), t('units.gb', { n: formatNumber(storage) })],
                ips.length > 0 && [t('resource.ips'), ips.map(text).join(', ')],
                volumes.length > 0 && [t('resource.volumes'), volumes.map(volumeText).join(', ')],
                ...other.map(([key, value]): Detail => [key, text(value)]),
              ]}
            />
          </section>

          <section>
            <Text element="h4">{t('resource.costs')}</Text>
            <DetailList
              items={[
                [t('resource.costDaily'), r.parentId ? t('resources.inVm') : formatMoney(r.dailyCost, r.currency)],
                [t('resource.costMonthly'), r.parentId ? t('resources.inVm') : formatMoney(r.monthlyCost, r.currency)],
                Boolean(r.costSource) && [t('resource.costSource'), tOr('resource.costSource.', r.costSource ?? '')],
                [t('resource.service'), r.serviceName ?? undefined],
              ]}
            />
            <Text color="secondary" variant="bodySmall">
              {t('resource.seen', { first: formatDateTime(r.firstSeen), last: formatDateTime(r.lastSeen) })}
            </Text>
          </section>

          <QueryChart
            title={t('resource.costChart')}
            from={new Date(now.getTime() - 30 * DAY)}
            to={now}
            pluginId="barchart"
            query={{
              refId: 'cost',
              queryType: 'costs',
              granularity: 'day',
              filters: [...scope, { dimension: 'resource', op: 'include', values: [r.providerResourceId] }],
            }}
          />
          <QueryChart
            title={t('resource.cpu')}
            from={new Date(now.getTime() - 7 * DAY)}
            to={now}
            query={{
              refId: 'cpu',
              queryType: 'utilization',
              metric: 'cpu',
              aggregation: 'avg',
              granularity: 'hour',
              resourceIds: [r.providerResourceId],
              filters: scope,
            }}
          />
          <QueryChart
            title={t('resource.memory')}
            from={new Date(now.getTime() - 7 * DAY)}
            to={now}
            query={{
              refId: 'memory',
              queryType: 'utilization',
              metric: 'memory',
              aggregation: 'avg',
              granularity: 'hour',
              resourceIds: [r.providerResourceId],
              filters: scope,
            }}
          />
          <ResourceHistory resource={r} from={new Date(now.getTime() - 90 * DAY)} to={now} />
        </Stack>
      </div>
    </Drawer>
  );
}
