/** What a correct sync of the generated Beget account must find, for tests to check against. */
import { Decimal } from 'decimal.js';
import type { BegetAccountData } from './data.js';

export interface BegetTruthResource {
  id: string;
  name: string;
  /** Normalized resource type the connector should report. */
  resourceType: 'server' | 'database' | 'bucket';
  status: 'RUNNING' | 'STOPPED';
  /** Stated prices as decimal strings (RUB). */
  dailyCost: string;
  monthlyCost: string;
  region: string;
  createdAt: Date;
}

export interface BegetTruthServer extends BegetTruthResource {
  resourceType: 'server';
  cpu: number;
  ramMb: number;
  diskGb: number;
  ip: string;
}

export interface BegetTruthCloudService extends BegetTruthResource {
  /** Beget's own type: MYSQL5, S_3 … */
  serviceType: string;
}

/** One resource the derived billing must charge every day from `since`, at `dailyCost`. */
export interface BegetTruthPriced {
  id: string;
  resourceType: 'server' | 'database' | 'bucket' | 'other';
  lineKey: 'vps' | 'cloud-service' | 'plan';
  dailyCost: string;
  /** Undefined for the plan: it predates any window. */
  since?: Date;
}

export interface BegetTruth {
  login: string;
  planName: string;
  planResourceId: string;
  planDailyRate: string;
  isYearPlan: boolean;
  balance: string;
  currency: 'RUB';
  daysToBlock: number;
  servers: BegetTruthServer[];
  cloudServices: BegetTruthCloudService[];
  domains: { count: number; registered: number; fqdns: string[] };
  /** Hosting MySQL databases; `mysql/getList` only shows them when legacy methods are permitted. */
  hostingDatabases: string[];
  ftpAccounts: number;
  mailboxes: number;
  legacyMethodsPermitted: boolean;
  /** Resources with a non-zero daily cost (servers, paid cloud services, the plan). */
  priced: BegetTruthPriced[];
  /** Sum of `priced` daily costs, plan included. */
  totalDailyCost: string;
}

const money = (value: Decimal.Value): string => new Decimal(value).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();

export function truthOf(data: BegetAccountData, legacyMethodsPermitted: boolean): BegetTruth {
  const servers: BegetTruthServer[] = data.vps.map((v) => ({
    id: v.id,
    name: v.displayName,
    resourceType: 'server',
    status: v.status,
    dailyCost: money(v.priceDay),
    monthlyCost: money(v.priceMonth),
    region: v.region,
    createdAt: v.createdAt,
    cpu: v.cpu,
    ramMb: v.memoryMb,
    diskGb: v.diskMb / 1024,
    ip: v.ip,
  }));
  const cloudServices: BegetTruthCloudService[] = data.cloud.map((c) => ({
    id: c.id,
    name: c.displayName,
    resourceType: c.type === 'S_3' ? 'bucket' : 'database',
    serviceType: c.type,
    status: c.status,
    dailyCost: money(c.priceDay),
    monthlyCost: money(c.priceMonth),
    region: c.region,
    createdAt: c.createdAt,
  }));
  const planDailyRate = money(
    data.yearPlan ? new Decimal(data.rateYear).dividedBy(365) : new Decimal(data.rateMonth).dividedBy(30)
  );
  const planResourceId = `plan:${data.login}`;
  const priced: BegetTruthPriced[] = [
    ...servers.map((s) => ({
      id: s.id,
      resourceType: s.resourceType,
      lineKey: 'vps' as const,
      dailyCost: s.dailyCost,
      since: s.createdAt,
    })),
    ...cloudServices
      .filter((c) => !new Decimal(c.dailyCost).isZero())
      .map((c) => ({
        id: c.id,
        resourceType: c.resourceType,
        lineKey: 'cloud-service' as const,
        dailyCost: c.dailyCost,
        since: c.createdAt,
      })),
    { id: planResourceId, resourceType: 'other', lineKey: 'plan', dailyCost: planDailyRate },
  ];
  return {
    login: data.login,
    planName: data.planName,
    planResourceId,
    planDailyRate,
    isYearPlan: data.yearPlan,
    balance: data.balance,
    currency: 'RUB',
    daysToBlock: data.daysToBlock,
    servers,
    cloudServices,
    domains: {
      count: data.domains.length,
      registered: data.domains.filter((d) => d.registered).length,
      fqdns: data.domains.map((d) => d.fqdn),
    },
    hostingDatabases: data.hostingDatabases,
    ftpAccounts: data.ftpLogins.length,
    mailboxes: data.mailboxes.length,
    legacyMethodsPermitted,
    priced,
    totalDailyCost: money(priced.reduce((sum, p) => sum.plus(p.dailyCost), new Decimal(0))),
  };
}
