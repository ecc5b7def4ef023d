import type { Budget, BudgetInput, BudgetPeriod, BudgetScopeKind } from '../../api/types';
import { t } from '../../i18n';
import { isPositiveAmount } from '../../utils/money';

/** The budget form as typed (strings), before it becomes a request. */
export interface BudgetFormState {
  name: string;
  amount: string;
  currency: string;
  period: BudgetPeriod;
  scopeKind: BudgetScopeKind;
  scopeValue: string;
  tagKey: string;
  actual: string;
  forecast: string;
}

export const NEW_BUDGET: BudgetFormState = {
  name: '',
  amount: '',
  currency: 'RUB',
  period: 'monthly',
  scopeKind: 'tenant',
  scopeValue: '',
  tagKey: '',
  actual: '50, 80, 100',
  forecast: '100',
};

export function fromBudget(b: Budget): BudgetFormState {
  return {
    name: b.name,
    amount: b.amount,
    currency: b.currency,
    period: b.period,
    scopeKind: b.scope.kind,
    scopeValue: b.scope.value ?? '',
    tagKey: b.scope.tagKey ?? '',
    actual: b.thresholds.actual.join(', '),
    forecast: b.thresholds.forecast.join(', '),
  };
}

/** "50, 80,100" → [50, 80, 100]; undefined when any part is not a whole 1..1000 or repeats. Empty → []. */
export function parseThresholds(text: string): number[] | undefined {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const values = parts.map((p) => (/^\d{1,4}$/.test(p) ? Number(p) : NaN));
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 1000) || new Set(values).size !== values.length) {
    return undefined;
  }
  return values.sort((a, b) => a - b);
}

export function validateBudget(f: BudgetFormState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.name.trim()) {
    errors.name = t('form.required');
  } else if (f.name.trim().length > 200) {
    errors.name = t('form.tooLong', { max: 200 });
  }
  if (!isPositiveAmount(f.amount)) {
    errors.amount = f.amount.trim() ? t('budgetForm.amount.invalid') : t('form.required');
  }
  if (!/^[A-Z]{3}$/.test(f.currency.trim())) {
    errors.currency = t('budgetForm.currency.invalid');
  }
  if (f.scopeKind !== 'tenant' && !f.scopeValue.trim()) {
    errors.scopeValue = t('form.required');
  }
  if (f.scopeKind === 'tag' && !f.tagKey.trim()) {
    errors.tagKey = t('form.required');
  }
  if (!parseThresholds(f.actual)) {
    errors.actual = t('budgetForm.thresholds.invalid');
  }
  if (!parseThresholds(f.forecast)) {
    errors.forecast = t('budgetForm.thresholds.invalid');
  }
  return errors;
}

/** The request body (call after validateBudget found nothing). */
export function toBudgetInput(f: BudgetFormState): BudgetInput {
  const scope =
    f.scopeKind === 'tenant'
      ? { kind: f.scopeKind }
      : f.scopeKind === 'tag'
        ? { kind: f.scopeKind, tagKey: f.tagKey.trim(), value: f.scopeValue.trim() }
        : { kind: f.scopeKind, value: f.scopeValue.trim() };
  return {
    name: f.name.trim(),
    amount: f.amount.trim(),
    currency: f.currency.trim(),
    period: f.period,
    scope,
    thresholds: { actual: parseThresholds(f.actual) ?? [], forecast: parseThresholds(f.forecast) ?? [] },
  };
}
