import React, { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Combobox, FilterInput, InlineField, RadioButtonGroup, Stack } from '@grafana/ui';

import { api } from '../../api/client';
import type { Resource } from '../../api/types';
import { Page } from '../../components/common/Page';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { useLoad } from '../../utils/useLoad';
import {
  applyFilters,
  distinct,
  findResource,
  groupByConnection,
  NO_FILTERS,
  ResourceFilters,
  summarize,
} from './model';
import { ResourceDrawer } from './ResourceDrawer';
import { ResourceSection } from './ResourceSection';
import { ResourceSummary } from './ResourceSummary';

/** Sections start open when there are few of them, or when a filter narrows the list. */
const OPEN_SECTIONS = 3;

/**
 * The inventory: a summary, one collapsible section per connection, filters, and a drawer per resource.
 * `?resource=<id>` opens the drawer for an InfraZen id or a provider resource id (dashboard links).
 */
function Resources() {
  const [params, setParams] = useSearchParams();
  const inventory = useLoad(async () => {
    const [resources, connections] = await Promise.all([api.allResources(), api.connections()]);
    return { resources, connections };
  }, []);
  const [filters, setFilters] = useState<ResourceFilters>(NO_FILTERS);
  const selectedId = params.get('resource') ?? undefined;

  const resources = useMemo(() => inventory.value?.resources ?? [], [inventory.value]);
  const filtered = useMemo(() => applyFilters(resources, filters), [resources, filters]);
  const sections = useMemo(
    () => groupByConnection(filtered, inventory.value?.connections ?? []),
    [filtered, inventory.value]
  );
  const summary = useMemo(() => summarize(resources), [resources]);
  const selected = selectedId ? findResource(resources, selectedId) : undefined;
  const filtering = filters !== NO_FILTERS;

  const select = (r?: Resource) => {
    if (r) {
      params.set('resource', r.id);
    } else {
      params.delete('resource');
    }
    setParams(params);
  };
  const set = (patch: Partial<ResourceFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const options = (values: string[]) => [
    { label: t('resources.filter.any'), value: '' },
    ...values.map((v) => ({ label: v, value: v })),
  ];

  let body: React.ReactNode;
  if (inventory.error) {
    body = <LoadError error={inventory.error} onRetry={inventory.reload} />;
  } else if (!inventory.value) {
    body = <Loading />;
  } else if (resources.length === 0) {
    body = <Empty message={t('resources.empty')} />;
  } else {
    body = (
      <Stack direction="column" gap={2}>
        <ResourceSummary summary={summary} />
        <Stack gap={2} wrap="wrap" alignItems="center">
          <div data-testid={testIds.resources.search}>
            <FilterInput
              placeholder={t('resources.search')}
              value={filters.search}
              onChange={(search) => set({ search })}
              // A plain substring search: by default FilterInput escapes regex characters, so "web-1"
              // would arrive as "web\\-1" and match nothing.
              escapeRegex={false}
              width={40}
            />
          </div>
          <InlineField label={t('resources.filter.type')}>
            <Combobox
              width={20}
              options={options(distinct(resources, 'type'))}
              value={filters.type}
              onChange={(o) => set({ type: o?.value ?? '' })}
            />
          </InlineField>
          <InlineField label={t('resources.filter.status')}>
            <Combobox
              width={20}
              options={options(distinct(resources, 'status'))}
              value={filters.status}
              onChange={(o) => set({ status: o?.value ?? '' })}
            />
          </InlineField>
          <InlineField label={t('resources.filter.flag')}>
            <RadioButtonGroup<ResourceFilters['flag']>
              value={filters.flag}
              onChange={(flag) => set({ flag })}
              options={[
                { label: t('resources.filter.any'), value: '' },
                { label: t('resources.flag.zombie'), value: 'zombie', description: t('resources.flag.zombie.help') },
                { label: t('resources.flag.orphan'), value: 'orphan', description: t('resources.flag.orphan.help') },
              ]}
            />
          </InlineField>
        </Stack>
        {sections.length === 0 ? (
          <Empty compact message={t('resources.noMatch')} />
        ) : (
          sections.map((section) => {
            const open =
              filtering || sections.length <= OPEN_SECTIONS || section.resources.some((r) => r.id === selected?.id);
            // CollapsableSection reads isOpen only when it mounts: the key remounts it when a search or
            // filter (or a selection) needs it open, so a match is never hidden in a closed section.
            return (
              <ResourceSection
                key={`${section.connectionId}:${open}`}
                section={section}
                isOpen={open}
                selectedId={selected?.id}
                onSelect={select}
              />
            );
          })
        )}
      </Stack>
    );
  }

  return (
    <Page title={t('page.resources')} testId={testIds.resources.container} subTitle={t('resources.subtitle')}>
      {selectedId && inventory.value && !selected && (
        <Alert
          severity="warning"
          title={t('resources.notFound', { id: selectedId })}
          data-testid={testIds.resources.notFound}
          onRemove={() => select()}
        />
      )}
      {body}
      {selected && <ResourceDrawer resource={selected} inventory={resources} onClose={() => select()} />}
    </Page>
  );
}

export default Resources;
