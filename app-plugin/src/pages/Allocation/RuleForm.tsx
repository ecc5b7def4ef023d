import React, { useState } from 'react';
import {
  Alert,
  Button,
  Combobox,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  Stack,
  Switch,
  TagsInput,
  Text,
} from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { AllocationRule, AllocationRuleInput, Connection, PROVIDER_IDS } from '../../api/types';
import { FormModal } from '../../components/common/FormModal';
import { providerName } from '../../components/common/ProviderBadge';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney } from '../../utils/format';
import { ASSIGN_FIELDS, fromRule, monthToDate, NEW_RULE, RuleFormState, toRuleInput, validateRule } from './ruleForm';

interface Props {
  rule?: AllocationRule;
  connections: Connection[];
  onSubmit: (input: AllocationRuleInput) => Promise<void>;
  onDismiss: () => void;
}

type Preview =
  { state: 'idle' } | { state: 'running' } | { state: 'done'; text: string } | { state: 'failed'; text: string };

/** Create or edit a rule, with a preview of how much of this month's cost it would match. */
export function RuleForm({ rule, connections, onSubmit, onDismiss }: Props) {
  const [form, setForm] = useState<RuleFormState>(rule ? fromRule(rule) : NEW_RULE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const set = (patch: Partial<RuleFormState>) => setForm((f) => ({ ...f, ...patch }));

  const check = () => {
    const found = validateRule(form);
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const onPreview = async () => {
    if (!check()) {
      return;
    }
    setPreview({ state: 'running' });
    try {
      const result = await api.previewAllocation({ ...monthToDate(), rules: [toRuleInput(form)] });
      const mine = result.rules[0];
      setPreview({
        state: 'done',
        text: t('ruleForm.previewResult', {
          cost: formatMoney(mine?.matchedCost ?? '0', result.currency),
          count: mine?.matchedResources ?? 0,
        }),
      });
    } catch (err) {
      setPreview({ state: 'failed', text: t('ruleForm.previewFailed', { detail: describeError(err).message }) });
    }
  };

  const submit = async () => {
    if (!check()) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(toRuleInput(form));
    } catch (err) {
      setError(t('error.actionFailed', { detail: describeError(err).message }));
      setBusy(false);
    }
  };

  const anyOption = { label: t('ruleForm.any'), value: '' };

  return (
    <FormModal
      title={rule ? t('ruleForm.editTitle', { name: rule.name }) : t('ruleForm.createTitle')}
      submitLabel={t('action.save')}
      onSubmit={submit}
      onDismiss={onDismiss}
      busy={busy}
      error={error}
      submitTestId={testIds.allocation.save}
      extraButtons={
        <Button
          variant="secondary"
          icon="eye"
          onClick={onPreview}
          disabled={preview.state === 'running'}
          data-testid={testIds.allocation.preview}
        >
          {t('ruleForm.preview')}
        </Button>
      }
    >
      <div data-testid={testIds.allocation.form}>
        <Stack gap={2}>
          <Field label={t('ruleForm.name')} required invalid={Boolean(errors.name)} error={errors.name}>
            <Input
              id="rule-name"
              data-testid={testIds.allocation.name}
              width={40}
              value={form.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
            />
          </Field>
          <Field
            label={t('ruleForm.priority')}
            description={t('ruleForm.priority.help')}
            invalid={Boolean(errors.priority)}
            error={errors.priority}
          >
            <Input
              id="rule-priority"
              data-testid={testIds.allocation.priority}
              width={12}
              value={form.priority}
              onChange={(e) => set({ priority: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('ruleForm.enabled')}>
            <Switch
              id="rule-enabled"
              value={form.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />
          </Field>
        </Stack>

        <FieldSet label={t('ruleForm.match')}>
          <Text color="secondary" variant="bodySmall" element="p">
            {t('ruleForm.match.help')}
          </Text>
          {errors.match && <Alert severity="error" title={errors.match} />}
          <Field label={t('ruleForm.namePattern')} description={t('ruleForm.namePattern.help')}>
            <Input
              id="rule-name-pattern"
              data-testid={testIds.allocation.namePattern}
              width={40}
              value={form.namePattern}
              onChange={(e) => set({ namePattern: e.currentTarget.value })}
            />
          </Field>
          <Stack gap={2} wrap="wrap">
            <Field label={t('ruleForm.provider')}>
              <Combobox
                id="rule-provider"
                width={24}
                options={[anyOption, ...PROVIDER_IDS.map((p) => ({ label: providerName(p), value: p }))]}
                value={form.provider}
                onChange={(o) => set({ provider: o?.value ?? '' })}
              />
            </Field>
            <Field label={t('ruleForm.connection')}>
              <Combobox
                id="rule-connection"
                width={30}
                options={[anyOption, ...connections.map((c) => ({ label: c.name, value: c.id }))]}
                value={form.connectionId}
                onChange={(o) => set({ connectionId: o?.value ?? '' })}
              />
            </Field>
            <Field label={t('ruleForm.service')}>
              <Input
                id="rule-service"
                width={24}
                value={form.service}
                onChange={(e) => set({ service: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('ruleForm.project')}>
              <Input
                id="rule-project"
                width={24}
                value={form.project}
                onChange={(e) => set({ project: e.currentTarget.value })}
              />
            </Field>
          </Stack>
          <Stack gap={2}>
            <Field label={t('ruleForm.tagKey')} invalid={Boolean(errors.tag)} error={errors.tag}>
              <Input
                id="rule-tag-key"
                width={24}
                value={form.tagKey}
                onChange={(e) => set({ tagKey: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('ruleForm.tagValue')}>
              <Input
                id="rule-tag-value"
                width={24}
                value={form.tagValue}
                onChange={(e) => set({ tagValue: e.currentTarget.value })}
              />
            </Field>
          </Stack>
        </FieldSet>

        <FieldSet label={t('ruleForm.assign')}>
          {errors.assign && <Alert severity="error" title={errors.assign} />}
          <Stack gap={2} wrap="wrap">
            {ASSIGN_FIELDS.map((key) => (
              <Field key={key} label={t(`assign.${key}`)}>
                <Input
                  id={`rule-assign-${key}`}
                  data-testid={key === 'businessUnit' ? testIds.allocation.businessUnit : undefined}
                  width={24}
                  value={form.assign[key]}
                  onChange={(e) => set({ assign: { ...form.assign, [key]: e.currentTarget.value } })}
                />
              </Field>
            ))}
          </Stack>
          <Field label={t('ruleForm.split')}>
            <Switch id="rule-split" value={form.split} onChange={(e) => set({ split: e.currentTarget.checked })} />
          </Field>
          {form.split && (
            <>
              <Field label={t('ruleForm.split.mode')}>
                <RadioButtonGroup
                  value={form.splitMode}
                  options={[
                    { label: t('ruleForm.split.even'), value: 'even' as const },
                    { label: t('ruleForm.split.proportional'), value: 'proportional' as const },
                  ]}
                  onChange={(splitMode) => set({ splitMode })}
                />
              </Field>
              <Field
                label={t('ruleForm.split.targets')}
                invalid={Boolean(errors.splitTargets)}
                error={errors.splitTargets}
              >
                <TagsInput
                  id="rule-split-targets"
                  tags={form.splitTargets}
                  addOnBlur
                  onChange={(splitTargets) => set({ splitTargets })}
                />
              </Field>
            </>
          )}
        </FieldSet>

        <div data-testid={testIds.allocation.previewResult}>
          {preview.state === 'done' && <Alert severity="info" title={preview.text} />}
          {preview.state === 'failed' && <Alert severity="error" title={preview.text} />}
        </div>
      </div>
    </FormModal>
  );
}
