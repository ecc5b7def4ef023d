import React, { useState } from 'react';
import {
  Alert,
  Button,
  Combobox,
  Field,
  FieldSet,
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
import { TextField } from '../../components/common/TextField';
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
          <TextField
            label={t('ruleForm.name')}
            required
            error={errors.name}
            id="rule-name"
            testId={testIds.allocation.name}
            width={40}
            value={form.name}
            onChange={(name) => set({ name })}
          />
          <TextField
            label={t('ruleForm.priority')}
            description={t('ruleForm.priority.help')}
            error={errors.priority}
            id="rule-priority"
            testId={testIds.allocation.priority}
            width={12}
            value={form.priority}
            onChange={(priority) => set({ priority })}
          />
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
          <TextField
            label={t('ruleForm.namePattern')}
            description={t('ruleForm.namePattern.help')}
            id="rule-name-pattern"
            testId={testIds.allocation.namePattern}
            width={40}
            value={form.namePattern}
            onChange={(namePattern) => set({ namePattern })}
          />
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
            <TextField
              label={t('ruleForm.service')}
              id="rule-service"
              width={24}
              value={form.service}
              onChange={(service) => set({ service })}
            />
            <TextField
              label={t('ruleForm.project')}
              id="rule-project"
              width={24}
              value={form.project}
              onChange={(project) => set({ project })}
            />
          </Stack>
          <Stack gap={2}>
            <TextField
              label={t('ruleForm.tagKey')}
              error={errors.tag}
              id="rule-tag-key"
              width={24}
              value={form.tagKey}
              onChange={(tagKey) => set({ tagKey })}
            />
            <TextField
              label={t('ruleForm.tagValue')}
              id="rule-tag-value"
              width={24}
              value={form.tagValue}
              onChange={(tagValue) => set({ tagValue })}
            />
          </Stack>
        </FieldSet>

        <FieldSet label={t('ruleForm.assign')}>
          {errors.assign && <Alert severity="error" title={errors.assign} />}
          <Stack gap={2} wrap="wrap">
            {ASSIGN_FIELDS.map((key) => (
              <TextField
                key={key}
                label={t(`assign.${key}`)}
                id={`rule-assign-${key}`}
                testId={key === 'businessUnit' ? testIds.allocation.businessUnit : undefined}
                width={24}
                value={form.assign[key]}
                onChange={(v) => set({ assign: { ...form.assign, [key]: v } })}
              />
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
