import { lastValueFrom } from 'rxjs';
import { BackendSrvRequest, getBackendSrv, isFetchError } from '@grafana/runtime';

import { describeError } from '../api/errors';
import { EXPRESSION_DATASOURCE_UID, intervalSeconds, ProvisionedGroup, ProvisionedRule, RULE_GROUPS } from './rules';

/**
 * Installs the recommended alert rules into this Grafana org through its alerting provisioning HTTP API
 * (the signed-in user needs the alert provisioning permission, i.e. org Admin). `X-Disable-Provenance`
 * keeps the rules editable in the UI. Re-running updates the rules instead of duplicating them; rules a
 * provisioning file already manages are left alone (Grafana refuses API changes to them).
 */

export type Outcome = 'created' | 'updated' | 'skipped' | 'failed';

export interface RuleResult {
  uid: string;
  title: string;
  outcome: Outcome;
  message?: string;
}

export interface InstallOptions {
  /** The org's PostgreSQL datasource on the collector's `grafana` views. */
  datasourceUid: string;
  /** Folder for the rules: found by title, created with `folderUid` if missing. */
  folderTitle?: string;
  folderUid?: string;
  groups?: ProvisionedGroup[];
  onProgress?: (result: RuleResult) => void;
}

const PROVENANCE_HEADERS = { 'X-Disable-Provenance': 'true' };

async function call<T>(request: BackendSrvRequest): Promise<T> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<T>({ showErrorAlert: false, showSuccessAlert: false, ...request })
  );
  return response.data;
}

function isStatus(err: unknown, status: number): boolean {
  return isFetchError(err) && err.status === status;
}

/** The folder's uid: an existing folder of that title, else a new one. */
export async function ensureFolder(title: string, uid: string): Promise<string> {
  const folders = await call<Array<{ uid: string; title: string }>>({
    url: '/api/folders',
    method: 'GET',
    params: { limit: 1000 },
  });
  const found = folders.find((f) => f.title === title);
  if (found) {
    return found.uid;
  }
  const created = await call<{ uid: string }>({ url: '/api/folders', method: 'POST', data: { uid, title } });
  return created.uid;
}

/** The API body of one rule: the file's definition, in a folder and group, on the chosen datasource. */
export function toApiRule(rule: ProvisionedRule, group: string, folderUid: string, datasourceUid: string) {
  return {
    uid: rule.uid,
    title: rule.title,
    condition: rule.condition,
    folderUID: folderUid,
    ruleGroup: group,
    noDataState: rule.noDataState ?? 'NoData',
    execErrState: rule.execErrState ?? 'Error',
    for: rule.for ?? '0s',
    annotations: rule.annotations ?? {},
    labels: rule.labels ?? {},
    isPaused: rule.isPaused ?? false,
    data: rule.data.map((q) => {
      if (q.datasourceUid === EXPRESSION_DATASOURCE_UID) {
        return q;
      }
      const model = q.model.datasource
        ? { ...q.model, datasource: { ...q.model.datasource, uid: datasourceUid } }
        : q.model;
      return { ...q, datasourceUid, model };
    }),
  };
}

async function installRule(body: ReturnType<typeof toApiRule>): Promise<RuleResult> {
  const base = { uid: body.uid, title: body.title };
  try {
    let existing: { provenance?: string } | undefined;
    try {
      existing = await call({ url: `/api/v1/provisioning/alert-rules/${encodeURIComponent(body.uid)}`, method: 'GET' });
    } catch (err) {
      if (!isStatus(err, 404)) {
        throw err;
      }
    }
    if (existing?.provenance === 'file') {
      return { ...base, outcome: 'skipped' };
    }
    if (existing) {
      await call({
        url: `/api/v1/provisioning/alert-rules/${encodeURIComponent(body.uid)}`,
        method: 'PUT',
        data: body,
        headers: PROVENANCE_HEADERS,
      });
      return { ...base, outcome: 'updated' };
    }
    await call({ url: '/api/v1/provisioning/alert-rules', method: 'POST', data: body, headers: PROVENANCE_HEADERS });
    return { ...base, outcome: 'created' };
  } catch (err) {
    return { ...base, outcome: 'failed', message: describeError(err).message };
  }
}

/** Rules created one by one get Grafana's default group interval; the file's interval is set afterwards. */
async function setGroupInterval(folderUid: string, group: ProvisionedGroup): Promise<void> {
  const url = `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group.name)}`;
  const current = await call<{ interval?: number } & Record<string, unknown>>({ url, method: 'GET' });
  const interval = intervalSeconds(group.interval);
  if (current.interval !== interval) {
    await call({ url, method: 'PUT', data: { ...current, interval }, headers: PROVENANCE_HEADERS });
  }
}

export async function installAlertRules(options: InstallOptions): Promise<RuleResult[]> {
  const groups = options.groups ?? RULE_GROUPS;
  const folderUid = await ensureFolder(
    options.folderTitle ?? groups[0]?.folder ?? 'InfraZen',
    options.folderUid ?? 'infrazen'
  );
  const results: RuleResult[] = [];
  for (const group of groups) {
    const groupResults: RuleResult[] = [];
    for (const rule of group.rules) {
      const result = await installRule(toApiRule(rule, group.name, folderUid, options.datasourceUid));
      groupResults.push(result);
      options.onProgress?.(result);
    }
    results.push(...groupResults);
    if (groupResults.some((r) => r.outcome === 'created' || r.outcome === 'updated')) {
      try {
        await setGroupInterval(folderUid, group);
      } catch {
        // The rules are in place; a default evaluation interval is a tuning loss, not a failure.
      }
    }
  }
  return results;
}
