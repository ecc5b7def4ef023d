/**
 * Account facts from Yandex Cloud Billing: `GET billing/v1/billingAccounts` lists the accounts the
 * credentials can see, each with its `balance` (a decimal string in the account's currency) and
 * `currency`. The configured `billingAccountId` is used when set; otherwise the only account, or the
 * first active one. The balance lands in account_balances; Yandex gives no runway forecast, so the engine
 * computes days left from the daily spend.
 */
import { Decimal } from 'decimal.js';
import { ProviderError } from '../http/errors.js';
import type { AccountInfo } from '../types.js';
import { listAll, type YandexContext } from './context.js';
import { asObject, bool, str } from './values.js';

export const BILLING_ACCOUNTS_ENDPOINT = 'billing.accounts';

export interface BillingAccount {
  id: string;
  name?: string;
  currency?: string;
  balance?: string;
  active: boolean;
  countryCode?: string;
}

/** A decimal string as given (exact), or undefined when it is not a number. */
export function decimalOrUndefined(value: unknown): string | undefined {
  const raw = typeof value === 'number' ? String(value) : str(value);
  if (raw === undefined || !/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(raw)) return undefined;
  const d = new Decimal(raw);
  return d.isZero() ? '0' : d.toFixed();
}

export function parseBillingAccount(raw: unknown): BillingAccount | undefined {
  const o = asObject(raw);
  const id = str(o.id);
  if (!id) return undefined;
  return {
    id,
    name: str(o.name),
    currency: str(o.currency)?.toUpperCase(),
    balance: decimalOrUndefined(o.balance),
    active: bool(o.active),
    countryCode: str(o.countryCode),
  };
}

export function chooseAccount(accounts: BillingAccount[], wanted: string | undefined): BillingAccount | undefined {
  if (wanted) return accounts.find((a) => a.id === wanted);
  return accounts.find((a) => a.active) ?? accounts[0];
}

export async function readAccount(c: YandexContext): Promise<AccountInfo> {
  const raw = await listAll(c, {
    endpoint: BILLING_ACCOUNTS_ENDPOINT,
    url: c.url('billing', '/billing/v1/billingAccounts'),
    key: 'billingAccounts',
  });
  const accounts = raw.map(parseBillingAccount).filter((a) => a !== undefined);
  const chosen = chooseAccount(accounts, c.settings.billingAccountId);
  if (!chosen) {
    throw new ProviderError(
      'not_found',
      BILLING_ACCOUNTS_ENDPOINT,
      c.settings.billingAccountId
        ? `billing account ${c.settings.billingAccountId} is not visible to these credentials; give the service account the billing.accounts.viewer role on it`
        : 'these credentials see no billing account; give the service account the billing.accounts.viewer role'
    );
  }
  return {
    accountId: chosen.id,
    name: chosen.name,
    balance: chosen.balance,
    currency: chosen.currency ?? 'RUB',
    details: {
      active: chosen.active,
      countryCode: chosen.countryCode ?? null,
      billingAccounts: accounts.map((a) => ({ id: a.id, name: a.name ?? null, active: a.active })),
    },
  };
}
