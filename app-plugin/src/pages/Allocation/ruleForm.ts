import type { AllocationRule, AllocationRuleInput, RuleAssign, RuleMatch } from '../../api/types';
import { t } from '../../i18n';

export const ASSIGN_FIELDS = ['businessUnit', 'project', 'environment', 'costCenter'] as const;
export type AssignField = (typeof ASSIGN_FIELDS)[number];

export interface RuleFormState {
  name: string;
  priority: string;
  enabled: boolean;
  namePattern: string;
  provider: string;
  connectionId: string;
  service: string;
  project: string;
  tagKey: string;
  tagValue: string;
  assign: Record<AssignField, string>;
  split: boolean;
  splitMode: 'even' | 'proportional';
  splitTargets: string[];
}

export const NEW_RULE: RuleFormState = {
  name: '',
  priority: '100',
  enabled: true,
  namePattern: '',
  provider: '',
  connectionId: '',
  service: '',
  project: '',
  tagKey: '',
  tagValue: '',
  assign: { businessUnit: '', project: '', environment: '', costCenter: '' },
  split: false,
  splitMode: 'even',
  splitTargets: [],
};

export function fromRule(r: AllocationRule): RuleFormState {
  return {
    name: r.name,
    priority: String(r.priority),
    enabled: r.enabled,
    namePattern: r.match.namePattern ?? '',
    provider: r.match.provider ?? '',
    connectionId: r.match.connectionId ?? '',
    service: r.match.service ?? '',
    project: r.match.project ?? '',
    tagKey: r.match.tag?.key ?? '',
    tagValue: r.match.tag?.value ?? '',
    assign: {
      businessUnit: r.assign.businessUnit ?? '',
      project: r.assign.project ?? '',
      environment: r.assign.environment ?? '',
      costCenter: r.assign.costCenter ?? '',
    },
    split: Boolean(r.split),
    splitMode: r.split?.mode ?? 'even',
    splitTargets: r.split?.targets ?? [],
  };
}

function matchOf(f: RuleFormState): RuleMatch {
  const match: RuleMatch = {};
  for (const key of ['namePattern', 'provider', 'connectionId', 'service', 'project'] as const) {
    if (f[key].trim()) {
      match[key] = f[key].trim();
    }
  }
  if (f.tagKey.trim() && f.tagValue.trim()) {
    match.tag = { key: f.tagKey.trim(), value: f.tagValue.trim() };
  }
  return match;
}

function assignOf(f: RuleFormState): RuleAssign {
  const assign: RuleAssign = {};
  for (const key of ASSIGN_FIELDS) {
    if (f.assign[key].trim()) {
      assign[key] = f.assign[key].trim();
    }
  }
  return assign;
}

export function validateRule(f: RuleFormState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.name.trim()) {
    errors.name = t('form.required');
  } else if (f.name.trim().length > 200) {
    errors.name = t('form.tooLong', { max: 200 });
  }
  if (!/^\d{1,5}$/.test(f.priority.trim()) || Number(f.priority) > 10_000) {
    errors.priority = t('ruleForm.priority.invalid');
  }
  if (Boolean(f.tagKey.trim()) !== Boolean(f.tagValue.trim())) {
    errors.tag = t('ruleForm.tag.pair');
  }
  if (Object.keys(matchOf(f)).length === 0 && !errors.tag) {
    errors.match = t('ruleForm.match.required');
  }
  if (f.split && f.splitTargets.filter((x) => x.trim()).length < 2) {
    errors.splitTargets = t('ruleForm.split.targets.invalid');
  }
  if (!f.split && Object.keys(assignOf(f)).length === 0) {
    errors.assign = t('ruleForm.assign.required');
  }
  return errors;
}

export function toRuleInput(f: RuleFormState): AllocationRuleInput {
  return {
    name: f.name.trim(),
    priority: Number(f.priority),
    enabled: f.enabled,
    match: matchOf(f),
    assign: assignOf(f),
    ...(f.split ? { split: { mode: f.splitMode, targets: f.splitTargets.map((x) => x.trim()).filter(Boolean) } } : {}),
  };
}

/** "name ~ prod-*, tag team = alpha" for the rules table. */
export function describeMatch(m: RuleMatch, connectionName: (id: string) => string | undefined): string {
  const parts: string[] = [];
  if (m.namePattern) {
    parts.push(t('match.namePattern', { value: m.namePattern }));
  }
  if (m.provider) {
    parts.push(t('match.provider', { value: m.provider }));
  }
  if (m.connectionId) {
    parts.push(t('match.connectionId', { value: connectionName(m.connectionId) ?? m.connectionId }));
  }
  if (m.service) {
    parts.push(t('match.service', { value: m.service }));
  }
  if (m.project) {
    parts.push(t('match.project', { value: m.project }));
  }
  if (m.tag) {
    parts.push(t('match.tag', { key: m.tag.key, value: m.tag.value }));
  }
  return parts.join(', ');
}

export function describeAssign(rule: AllocationRuleInput): string {
  const parts = ASSIGN_FIELDS.filter((k) => rule.assign[k]).map((k) => `${t(`assign.${k}`)}: ${rule.assign[k]}`);
  if (rule.split) {
    parts.push(
      t('alloc.split', {
        mode:
          rule.split.mode === 'even'
            ? t('ruleForm.split.even').toLowerCase()
            : t('ruleForm.split.proportional').toLowerCase(),
        targets: rule.split.targets.join(', '),
      })
    );
  }
  return parts.join(' · ');
}

/** This calendar month so far: the window coverage is computed over. */
export function monthToDate(now: Date = new Date()): { from: string; to: string } {
  return { from: new Date(now.getFullYear(), now.getMonth(), 1).toISOString(), to: now.toISOString() };
}
