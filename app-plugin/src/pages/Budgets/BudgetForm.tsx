import React, { useState } from 'react';
import { Combobox, Field, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { describeError } from '../../api/errors';
import {
  BUDGET_PERIODS,
  BUDGET_SCOPES,
  Budget,
  BudgetInput,
  BudgetScopeKind,
  Connection,
  PROVIDER_IDS,
} from '../../api/types';
import { FormModal } from '../../components/common/FormModal';
import { providerName } from '../../components/common/ProviderBadge';
import { TextField } from '../../components/common/TextField';
import { testIds } from '../../components/testIds';
import { t, tOr } from '../../i18n';
import { BudgetFormState, fromBudget, NEW_BUDGET, toBudgetInput, validateBudget } from './budgetForm';

interface Props {
  budget?: Budget;
  connections: Connection[];
  onSubmit: (input: BudgetInput) => Promise<void>;
  onDismiss: () => void;
}

/** Create or edit a budget: amount, period, scope and alert thresholds, checked before it is sent. */
export function BudgetForm({ budget, connections, onSubmit, onDismiss }: Props) {
  const [form, setForm] = useState<BudgetFormState>(budget ? fromBudget(budget) : NEW_BUDGET);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<BudgetFormState>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async () => {
    const found = validateBudget(form);
    setErrors(found);
    if (Object.keys(found).length) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(toBudgetInput(form));
    } catch (err) {
      const info = describeError(err);
      setError(t('error.actionFailed', { detail: info.message }));
      setBusy(false);
    }
  };

  const scopeLabel = tOr('scope.', form.scopeKind).toLowerCase();
  let valueInput: React.ReactElement;
  if (form.scopeKind === 'connection') {
    valueInput = (
      <Combobox
        id="budget-scope-value"
        width={40}
        options={connections.map((c) => ({ label: c.name, value: c.id }))}
        value={form.scopeValue || null}
        onChange={(o) => set({ scopeValue: o?.value ?? '' })}
      />
    );
  } else if (form.scopeKind === 'provider') {
    valueInput = (
      <RadioButtonGroup
        id="budget-scope-value"
        value={form.scopeValue}
        options={PROVIDER_IDS.map((p) => ({ label: providerName(p), value: p }))}
        onChange={(scopeValue) => set({ scopeValue })}
      />
    );
  } else {
    valueInput = (
      <Input
        id="budget-scope-value"
        data-testid={testIds.budgets.scopeValue}
        width={40}
        value={form.scopeValue}
        onChange={(e) => set({ scopeValue: e.currentTarget.value })}
      />
    );
  }

  return (
    <FormModal
      title={budget ? t('budgetForm.editTitle', { name: budget.name }) : t('budgetForm.createTitle')}
      submitLabel={t('action.save')}
      onSubmit={submit}
      onDismiss={onDismiss}
      busy={busy}
      error={error}
      submitTestId={testIds.budgets.save}
    >
      <div data-testid={testIds.budgets.form}>
        <TextField
          label={t('budgetForm.name')}
          required
          error={errors.name}
          id="budget-name"
          testId={testIds.budgets.name}
          value={form.name}
          onChange={(name) => set({ name })}
        />
        <Stack gap={2}>
          <TextField
            label={t('budgetForm.amount')}
            description={t('budgetForm.amount.help')}
            required
            error={errors.amount}
            id="budget-amount"
            testId={testIds.budgets.amount}
            inputMode="decimal"
            width={24}
            value={form.amount}
            onChange={(amount) => set({ amount })}
          />
          <TextField
            label={t('budgetForm.currency')}
            error={errors.currency}
            id="budget-currency"
            width={10}
            maxLength={3}
            value={form.currency}
            onChange={(v) => set({ currency: v.toUpperCase() })}
          />
        </Stack>
        <Field label={t('budgetForm.period')}>
          <RadioButtonGroup
            value={form.period}
            options={BUDGET_PERIODS.map((p) => ({ label: tOr('period.', p), value: p }))}
            onChange={(period) => set({ period })}
          />
        </Field>
        <Field label={t('budgetForm.scope')}>
          <RadioButtonGroup<BudgetScopeKind>
            value={form.scopeKind}
            options={BUDGET_SCOPES.map((s) => ({ label: tOr('scope.', s), value: s }))}
            onChange={(scopeKind) => set({ scopeKind, scopeValue: '', tagKey: '' })}
          />
        </Field>
        {form.scopeKind === 'tag' && (
          <TextField
            label={t('budgetForm.tagKey')}
            required
            error={errors.tagKey}
            id="budget-tag-key"
            testId={testIds.budgets.tagKey}
            width={40}
            value={form.tagKey}
            onChange={(tagKey) => set({ tagKey })}
          />
        )}
        {form.scopeKind !== 'tenant' && (
          <Field
            label={form.scopeKind === 'tag' ? t('budgetForm.tagValue') : t('budgetForm.scopeValue')}
            description={t('budgetForm.scopeValue.help', { scope: scopeLabel })}
            required
            invalid={Boolean(errors.scopeValue)}
            error={errors.scopeValue}
          >
            {valueInput}
          </Field>
        )}
        <TextField
          label={t('budgetForm.actualThresholds')}
          description={t('budgetForm.thresholds.help')}
          error={errors.actual}
          id="budget-actual"
          testId={testIds.budgets.actualThresholds}
          width={30}
          value={form.actual}
          onChange={(actual) => set({ actual })}
        />
        <TextField
          label={t('budgetForm.forecastThresholds')}
          error={errors.forecast}
          id="budget-forecast"
          testId={testIds.budgets.forecastThresholds}
          width={30}
          value={form.forecast}
          onChange={(forecast) => set({ forecast })}
        />
      </div>
    </FormModal>
  );
}
