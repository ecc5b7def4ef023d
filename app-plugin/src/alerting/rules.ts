/**
 * The recommended alert rules: the repository's file-provisioning definition
 * (provisioning/alerting/rules.yaml, written for Grafana's file provisioning), parsed at build time.
 * One source of truth: docker-compose provisions the same file, the Admin page installs it into any org.
 */
import provisioned from '../../../provisioning/alerting/rules.yaml';

export interface RuleQuery {
  refId: string;
  relativeTimeRange?: { from: number; to: number };
  datasourceUid: string;
  model: Record<string, unknown> & { datasource?: { type?: string; uid?: string } };
}

export interface ProvisionedRule {
  uid: string;
  title: string;
  condition: string;
  data: RuleQuery[];
  noDataState?: string;
  execErrState?: string;
  for?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  isPaused?: boolean;
}

export interface ProvisionedGroup {
  name: string;
  folder: string;
  interval: string;
  rules: ProvisionedRule[];
}

export const RULE_GROUPS: ProvisionedGroup[] = (provisioned as { groups?: ProvisionedGroup[] }).groups ?? [];

/** The datasource the file's queries name (replaced by the org's own PostgreSQL datasource on install). */
export const PROVISIONED_DATASOURCE_UID = 'infrazen-tsdb';
export const EXPRESSION_DATASOURCE_UID = '__expr__';

/** "1h", "15m", "30s" → seconds (the rule-group API takes seconds). */
export function intervalSeconds(interval: string): number {
  const match = /^(\d+)([smhd])$/.exec(interval.trim());
  if (!match) {
    throw new Error(`Unsupported interval "${interval}"`);
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
