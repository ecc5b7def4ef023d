/**
 * Account facts from api.selectel.ru with the API key: the account (`/vpc/resell/v2/accounts`), its
 * balance (`/v3/balances`), Selectel's own runway prediction (`/v2/billing/prediction`) and projects.
 *
 * Units, decided from public clients (PROVIDERS.md, teamfighter/servercore-billing-exporter and others):
 * - balance amounts (`final_sum`, `debt_sum`, `balances[].value`) are integers in kopecks, like the
 *   consumption `value`: the exporter divides them by 100 (`kopecksPerUnit`) and its fixture holds
 *   `final_sum: 5000000000` for a 50 000 000 ₽ test account; another client's comment reads "amounts come
 *   as integers in minimal units (kopecks)". So balance = Σ final_sum ÷ 100.
 * - the prediction: Selectel's documentation calls the values hours and one exporter divides by 24, but a
 *   client that checked against real transactions found they only match as days (46 reported vs 53
 *   computed, where "46 hours" would be 28× off), and PROVIDERS.md records `vpc: 180` as days left. We
 *   take days, from `data.vpc` (the cloud platform's balance), else `data.primary`.
 * The sandbox serves the same units.
 */
import { Decimal } from 'decimal.js';
import { ProviderError } from '../http/errors.js';
import type { AccountInfo, EndpointError } from '../types.js';
import { kopecksToRoubles } from './billing-mapper.js';
import { apiGet, type SelectelContext } from './context.js';
import { asArray, asObject, bool, isObject, num, str } from './values.js';

export interface BalanceFacts {
  /** Roubles (decimal string) across all billings; undefined when the response lists none. */
  balance?: string;
  debt?: string;
  currency: string;
  mode?: string;
  billings: { type?: string; balance?: string; debt?: string }[];
}

const sumKopecks = (values: unknown[]): Decimal =>
  values.reduce<Decimal>((acc, v) => {
    const roubles = kopecksToRoubles(v);
    return roubles === undefined ? acc : acc.plus(roubles);
  }, new Decimal(0));

/** `/v3/balances`; `settings` sits under `data` or at top level depending on the API version. */
export function parseBalances(body: unknown): BalanceFacts {
  const root = asObject(body);
  const data = isObject(root.data) ? root.data : root;
  const settings = asObject(isObject(data.settings) ? data.settings : root.settings);
  const currency = (str(settings.currency) ?? 'rub').toUpperCase();
  const billings = asArray(data.billings).map((entry) => {
    const b = asObject(entry);
    const own =
      b.final_sum !== undefined && b.final_sum !== null
        ? kopecksToRoubles(b.final_sum)
        : sumKopecks(asArray(b.balances).map((x) => asObject(x).value)).toFixed();
    return { type: str(b.billing_type), balance: own, debt: kopecksToRoubles(b.debt_sum) };
  });
  if (billings.length === 0) return { currency, mode: str(settings.mode), billings };
  const total = billings.reduce((acc, b) => acc.plus(b.balance ?? 0), new Decimal(0));
  const debt = billings.reduce((acc, b) => acc.plus(b.debt ?? 0), new Decimal(0));
  return { balance: total.toFixed(), debt: debt.toFixed(), currency, mode: str(settings.mode), billings };
}

/** `/v2/billing/prediction` → days until the cloud balance runs out (null when Selectel has no forecast). */
export function parsePrediction(body: unknown): number | null {
  const root = asObject(body);
  const data = isObject(root.data) ? root.data : root;
  const days = num(data.vpc) ?? num(data.primary);
  return days === undefined ? null : days;
}

export function parseProjects(body: unknown): { id?: string; name?: string; enabled?: boolean }[] {
  return asArray(asObject(body).projects).map((p) => {
    const o = asObject(p);
    return { id: str(o.id), name: str(o.name), enabled: bool(o.enabled) };
  });
}

/**
 * The account itself must be readable (it is how a bad API key shows); balance, prediction and projects
 * are best effort: a failure is recorded in `errors` and the rest is still returned.
 */
export async function readAccount(c: SelectelContext, errors: EndpointError[]): Promise<AccountInfo> {
  const accountBody = await apiGet(c, 'accounts', '/vpc/resell/v2/accounts');
  const account = asObject(asObject(accountBody).account);

  const optional = async (endpoint: string, path: string): Promise<unknown> => {
    try {
      return await apiGet(c, endpoint, path);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      errors.push({ endpoint, kind: err.kind, message: err.message });
      return undefined;
    }
  };
  const [balancesBody, predictionBody, projectsBody] = await Promise.all([
    optional('balances', '/v3/balances'),
    optional('prediction', '/v2/billing/prediction'),
    optional('projects', '/vpc/resell/v2/projects'),
  ]);

  const balances = balancesBody === undefined ? undefined : parseBalances(balancesBody);
  const name = str(account.name);
  return {
    accountId: name ?? c.credentials.accountId,
    name,
    balance: balances?.balance,
    currency: balances?.currency ?? 'RUB',
    daysToBlock: predictionBody === undefined ? undefined : parsePrediction(predictionBody),
    details: {
      enabled: bool(account.enabled),
      locked: bool(account.locked),
      ...(balances ? { debt: balances.debt, balanceMode: balances.mode, billings: balances.billings } : {}),
      ...(projectsBody === undefined ? {} : { projects: parseProjects(projectsBody) }),
    },
  };
}
