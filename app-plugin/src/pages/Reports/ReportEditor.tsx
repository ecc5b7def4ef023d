import React, { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Combobox,
  Drawer,
  Field,
  IconButton,
  Input,
  RadioButtonGroup,
  Stack,
  Switch,
  TagsInput,
} from '@grafana/ui';

import { describeError } from '../../api/errors';
import {
  Destination,
  PERIOD_KINDS,
  PeriodKind,
  Report,
  ReportDefinition,
  ReportInput,
  ScopeFilter,
  SECTION_KINDS,
  SectionKind,
} from './api';
import { tr } from './strings';
import { reportTestIds } from './testIds';

const PRESETS = [
  { key: 'monthly', cron: '0 9 1 * *' },
  { key: 'weekly', cron: '0 9 * * 1' },
  { key: 'daily', cron: '0 9 * * *' },
] as const;
type Preset = (typeof PRESETS)[number]['key'] | 'custom';

const DIMENSIONS = [
  'provider',
  'connection',
  'service',
  'service_category',
  'region',
  'resource_type',
  'business_unit',
  'project',
  'environment',
  'cost_center',
];

export const DEFAULT_DEFINITION: ReportDefinition = {
  scope: { filters: [] },
  period: { kind: 'previous_month' },
  sections: [...SECTION_KINDS],
  language: 'ru',
  currency: null,
};

interface Props {
  report?: Report;
  /** The definition a new report starts from. */
  initialDefinition?: ReportDefinition;
  destinations: Destination[];
  onSave: (input: ReportInput) => Promise<void>;
  onPreview: (input: ReportInput) => void;
  onDismiss: () => void;
}

const presetOf = (cron: string): Preset => PRESETS.find((p) => p.cron === cron)?.key ?? 'custom';

/** Define a report: what (sections, scope), for when (period), how (language, currency), and its schedule. */
export function ReportEditor({ report, initialDefinition, destinations, onSave, onPreview, onDismiss }: Props) {
  const [name, setName] = useState(report?.name ?? '');
  const [definition, setDefinition] = useState<ReportDefinition>(
    report?.definition ?? initialDefinition ?? DEFAULT_DEFINITION
  );
  const [scheduled, setScheduled] = useState(Boolean(report?.schedule));
  const [cron, setCron] = useState(report?.schedule?.cron ?? PRESETS[0].cron);
  const [timezone, setTimezone] = useState(report?.schedule?.timezone ?? report?.timezone ?? 'Europe/Moscow');
  const [destinationIds, setDestinationIds] = useState<string[]>(report?.destinationIds ?? []);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> }>();

  const update = (patch: Partial<ReportDefinition>) => setDefinition((d) => ({ ...d, ...patch }));
  const setFilters = (filters: ScopeFilter[]) => update({ scope: { filters } });
  const filters = definition.scope.filters;
  const input = (): ReportInput => ({
    name: name.trim(),
    definition: { ...definition, currency: definition.currency?.trim().toUpperCase() || null },
    schedule: scheduled ? { cron: cron.trim(), timezone: timezone.trim(), enabled: true } : null,
    destinationIds,
  });
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await onSave(input());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setSaving(false);
    }
  };
  const fieldError = (path: string) => error?.fields[path];
  const toggleSection = (kind: SectionKind) =>
    update({
      sections: definition.sections.includes(kind)
        ? definition.sections.filter((s) => s !== kind)
        : SECTION_KINDS.filter((s) => s === kind || definition.sections.includes(s)),
    });

  return (
    <Drawer title={report ? tr('editor.titleEdit') : tr('editor.titleNew')} onClose={onDismiss} size="md">
      <div data-testid={reportTestIds.editor}>
        {error && <Alert severity="error" title={tr('reports.actionFailed', { detail: error.message })} />}
        <Field label={tr('editor.name')} invalid={Boolean(fieldError('/name'))} error={fieldError('/name')} required>
          <Input value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid={reportTestIds.editorName} />
        </Field>
        <Field label={tr('editor.period')}>
          <Combobox<PeriodKind>
            aria-label={tr('editor.period')}
            value={definition.period.kind}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: tr(`period.${k}`) }))}
            onChange={(v) => update({ period: { kind: v.value } })}
          />
        </Field>
        {definition.period.kind === 'custom' && (
          <Stack gap={2}>
            {(['from', 'to'] as const).map((bound) => (
              <Field key={bound} label={tr(`editor.${bound}`)} error={fieldError(`/definition/period/${bound}`)}>
                <Input
                  type="date"
                  aria-label={tr(`editor.${bound}`)}
                  value={definition.period[bound] ?? ''}
                  onChange={(e) => update({ period: { ...definition.period, [bound]: e.currentTarget.value } })}
                />
              </Field>
            ))}
          </Stack>
        )}
        <Field label={tr('editor.sections')}>
          <Stack direction="column" gap={0.5}>
            {SECTION_KINDS.map((kind) => (
              <Checkbox
                key={kind}
                label={tr(`section.${kind}`)}
                value={definition.sections.includes(kind)}
                onChange={() => toggleSection(kind)}
              />
            ))}
          </Stack>
        </Field>
        <Stack gap={2}>
          <Field label={tr('editor.language')}>
            <RadioButtonGroup<ReportDefinition['language']>
              value={definition.language}
              options={[
                { value: 'ru', label: 'Русский' },
                { value: 'en', label: 'English' },
              ]}
              onChange={(language) => update({ language })}
            />
          </Field>
          <Field label={tr('editor.currency')} description={tr('editor.currencyHint')}>
            <Input
              aria-label={tr('editor.currency')}
              width={12}
              value={definition.currency ?? ''}
              placeholder="RUB"
              onChange={(e) => update({ currency: e.currentTarget.value || null })}
            />
          </Field>
        </Stack>
        <Field label={tr('editor.scope')} description={tr('editor.scopeHint')}>
          <Stack direction="column" gap={1}>
            {filters.map((f, i) => (
              <Stack key={i} gap={1} alignItems="center">
                <Combobox
                  aria-label={tr('editor.dimension')}
                  width={22}
                  value={f.dimension}
                  createCustomValue
                  options={DIMENSIONS.map((d) => ({ value: d, label: d }))}
                  onChange={(v) => setFilters(filters.map((x, j) => (j === i ? { ...x, dimension: v.value } : x)))}
                />
                <RadioButtonGroup<ScopeFilter['op']>
                  size="sm"
                  value={f.op}
                  options={[
                    { value: 'include', label: tr('editor.include') },
                    { value: 'exclude', label: tr('editor.exclude') },
                  ]}
                  onChange={(op) => setFilters(filters.map((x, j) => (j === i ? { ...x, op } : x)))}
                />
                <TagsInput
                  placeholder={tr('editor.values')}
                  tags={f.values}
                  onChange={(values) => setFilters(filters.map((x, j) => (j === i ? { ...x, values } : x)))}
                />
                <IconButton
                  name="trash-alt"
                  tooltip={tr('reports.delete')}
                  onClick={() => setFilters(filters.filter((_, j) => j !== i))}
                />
              </Stack>
            ))}
            <div>
              <Button
                size="sm"
                variant="secondary"
                icon="plus"
                onClick={() => setFilters([...filters, { dimension: 'provider', op: 'include', values: [] }])}
              >
                {tr('editor.addFilter')}
              </Button>
            </div>
          </Stack>
        </Field>
        <Field label={tr('editor.schedule')}>
          <Switch
            value={scheduled}
            onChange={(e) => setScheduled(e.currentTarget.checked)}
            data-testid={reportTestIds.editorSchedule}
          />
        </Field>
        {scheduled && (
          <>
            <Field label={tr('editor.preset')}>
              <Combobox<Preset>
                aria-label={tr('editor.preset')}
                value={presetOf(cron)}
                options={[...PRESETS.map((p) => p.key), 'custom' as const].map((key) => ({
                  value: key,
                  label: tr(`editor.preset.${key}`),
                }))}
                onChange={(v) => {
                  const preset = PRESETS.find((p) => p.key === v.value);
                  if (preset) {
                    setCron(preset.cron);
                  }
                }}
              />
            </Field>
            <Stack gap={2}>
              <Field
                label={tr('editor.cron')}
                description={tr('editor.cronHint')}
                invalid={Boolean(fieldError('/schedule/cron'))}
                error={fieldError('/schedule/cron')}
              >
                <Input
                  value={cron}
                  onChange={(e) => setCron(e.currentTarget.value)}
                  data-testid={reportTestIds.editorCron}
                />
              </Field>
              <Field
                label={tr('editor.timezone')}
                invalid={Boolean(fieldError('/schedule/timezone'))}
                error={fieldError('/schedule/timezone')}
              >
                <Input
                  aria-label={tr('editor.timezone')}
                  value={timezone}
                  onChange={(e) => setTimezone(e.currentTarget.value)}
                />
              </Field>
            </Stack>
          </>
        )}
        <Field
          label={tr('editor.destinations')}
          description={destinations.length ? undefined : tr('editor.noDestinations')}
        >
          <Stack direction="column" gap={0.5}>
            {destinations.map((d) => (
              <Checkbox
                key={d.id}
                label={`${d.name} (${tr(`dest.kind.${d.kind}`)})`}
                value={destinationIds.includes(d.id)}
                onChange={() =>
                  setDestinationIds((ids) => (ids.includes(d.id) ? ids.filter((x) => x !== d.id) : [...ids, d.id]))
                }
              />
            ))}
          </Stack>
        </Field>
        <Stack gap={1}>
          <Button onClick={save} disabled={saving || !name.trim()} data-testid={reportTestIds.editorSave}>
            {tr('editor.save')}
          </Button>
          <Button
            variant="secondary"
            icon="eye"
            onClick={() => onPreview(input())}
            data-testid={reportTestIds.editorPreview}
          >
            {tr('editor.previewPdf')}
          </Button>
          <Button variant="secondary" fill="text" onClick={onDismiss}>
            {tr('editor.cancel')}
          </Button>
        </Stack>
      </div>
    </Drawer>
  );
}
