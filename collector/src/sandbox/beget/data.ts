/**
 * The generated Beget account. The default echoes the account in the product reference (§6.2, §12):
 * two VPS at 22 and 9.73 RUB/day, a cloud MySQL at 29 RUB/day, a free S3 service, six domains and a
 * balance three days from blocking, so the demo shows the same numbers the reference describes. Every
 * id, name and number comes from the seed; `truth` is computed from the same values the routes serve.
 */
import { Decimal } from 'decimal.js';
import { hashSeed, int, pick, seededRandom, uuid, type Random } from '../random.js';

export interface BegetSandboxOptions {
  /** VPS count (default 2, the reference account); more are generated for pagination and scale tests. */
  vpsCount?: number;
  /**
   * Cloud accounts get "Cannot access method mysql/ftp" from `mysql/getList` and `ftp/getList`
   * (reference 6.4.7). True makes both answer with data, as on a shared-hosting plan.
   */
  legacyMethodsPermitted?: boolean;
  /** A yearly plan instead of the monthly one (the plan's daily rate is then yearly ÷ 365). */
  yearPlan?: boolean;
  /** Make `POST /v1/auth` refuse every login with this code (2FA on, IP blocked …). */
  authRefusal?: 'IP_BLOCKED' | 'CODE_REQUIRED' | 'INCORRECT_CREDENTIALS';
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface FakeVps {
  id: string;
  slug: string;
  displayName: string;
  hostname: string;
  status: 'RUNNING' | 'STOPPED';
  cpu: number;
  memoryMb: number;
  diskMb: number;
  bandwidthMbps: number;
  priceDay: string;
  priceMonth: string;
  ip: string;
  region: string;
  createdAt: Date;
  diskUsedBytes: number;
  software?: { name: string; displayName: string; version: string };
}

export interface FakeCloudService {
  id: string;
  displayName: string;
  type: 'MYSQL5' | 'S_3';
  status: 'RUNNING';
  priceDay: string;
  priceMonth: string;
  region: string;
  createdAt: Date;
}

export interface FakeDomain {
  id: number;
  fqdn: string;
  registered: boolean;
  dateAdd: Date;
}

export interface BegetAccountData {
  login: string;
  password: string;
  planName: string;
  rateMonth: string;
  rateYear: string;
  yearPlan: boolean;
  balance: string;
  daysToBlock: number;
  vps: FakeVps[];
  cloud: FakeCloudService[];
  domains: FakeDomain[];
  hostingDatabases: string[];
  ftpLogins: string[];
  mailboxes: string[];
  serverName: string;
}

/** Configurations with Beget-like prices (monthly ÷ 30 = the stated daily price, as Beget does). */
const CATALOG = [
  { cpu: 1, memoryMb: 1024, diskMb: 10240, month: '195', day: '6.5' },
  { cpu: 1, memoryMb: 2048, diskMb: 15360, month: '291.9', day: '9.73' },
  { cpu: 2, memoryMb: 2048, diskMb: 30720, month: '390', day: '13' },
  { cpu: 2, memoryMb: 4096, diskMb: 40960, month: '660', day: '22' },
  { cpu: 4, memoryMb: 8192, diskMb: 81920, month: '1470', day: '49' },
] as const;

const ADJECTIVES = ['objective', 'humane', 'brave', 'quiet', 'eager', 'lucid', 'stoic', 'vivid'];
const SURNAMES = ['perrin', 'orrin', 'hopper', 'lovelace', 'turing', 'kapitsa', 'landau', 'korolev'];
const WORDS = ['orbita', 'sever', 'zavod', 'lavka', 'kofe', 'masterskaya', 'gorod', 'sad'];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function ipv4(random: Random): string {
  return `${pick(random, [5, 45, 91, 185, 212])}.${int(random, 1, 254)}.${int(random, 1, 254)}.${int(random, 1, 254)}`;
}

function password(seed: number): string {
  const random = seededRandom(hashSeed(seed, 'beget', 'password'));
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

function makeVps(seed: number, index: number, now: Date): FakeVps {
  const random = seededRandom(hashSeed(seed, 'beget', 'vps', index));
  // The first two are the reference account's servers; the rest vary for scale tests.
  const reference = [
    { config: CATALOG[3], name: 'Objective Perrin', software: { name: 'n8n', displayName: 'n8n', version: '1.108.2' } },
    { config: CATALOG[1], name: 'runner rus', software: undefined },
  ][index];
  const config = reference?.config ?? pick(random, CATALOG);
  const displayName =
    reference?.name ?? `${capitalize(pick(random, ADJECTIVES))} ${capitalize(pick(random, SURNAMES))}`;
  const slug = `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${index}`;
  const id = uuid(random);
  return {
    id,
    slug,
    displayName,
    hostname: `${slug}.beget.app`,
    // Extra servers are sometimes stopped (Beget still charges them: the disk is kept).
    status: index < 2 || random() > 0.2 ? 'RUNNING' : 'STOPPED',
    cpu: config.cpu,
    memoryMb: config.memoryMb,
    diskMb: config.diskMb,
    bandwidthMbps: 100,
    priceDay: config.day,
    priceMonth: config.month,
    ip: ipv4(random),
    region: pick(random, ['ru1', 'ru1', 'ru2']),
    createdAt: new Date(now.getTime() - (120 + int(random, 0, 200)) * DAY_MS - int(random, 0, 86_399) * 1000),
    diskUsedBytes: Math.floor(config.diskMb * 1024 * 1024 * (0.1 + random() * 0.6)),
    software: reference?.software,
  };
}

export function generateAccount(seed: number, now: Date, options: BegetSandboxOptions): BegetAccountData {
  const random = seededRandom(hashSeed(seed, 'beget', 'account'));
  const login = 'demo-beget';
  const vpsCount = Math.max(0, Math.floor(options.vpsCount ?? 2));
  const vps = Array.from({ length: vpsCount }, (_, i) => makeVps(seed, i, now));
  const cloud: FakeCloudService[] = [
    {
      id: uuid(random),
      displayName: 'Cloud database 1',
      type: 'MYSQL5',
      status: 'RUNNING',
      priceDay: '29',
      priceMonth: '870',
      region: 'ru2',
      createdAt: new Date(now.getTime() - int(random, 60, 150) * DAY_MS),
    },
    {
      id: uuid(random),
      displayName: `${capitalize(pick(random, ADJECTIVES))} ${capitalize(pick(random, SURNAMES))}`,
      type: 'S_3',
      status: 'RUNNING',
      priceDay: '0',
      priceMonth: '0',
      region: 'ru1',
      createdAt: new Date(now.getTime() - int(random, 30, 90) * DAY_MS),
    },
  ];
  const apex = `${pick(random, WORDS)}-${int(random, 10, 99)}.ru`;
  const firstDomainId = int(random, 1_000_000, 9_000_000);
  const domains: FakeDomain[] = [apex, ...['www', 'n8n', 'api', 'blog', 'shop'].map((sub) => `${sub}.${apex}`)].map(
    (fqdn, i) => ({
      id: firstDomainId + i,
      fqdn,
      registered: i === 0,
      dateAdd: new Date(now.getTime() - (400 - i * 30) * DAY_MS),
    })
  );

  const yearPlan = options.yearPlan ?? false;
  const rateMonth = '270';
  const rateYear = '2970';
  const planDaily = yearPlan ? new Decimal(rateYear).dividedBy(365) : new Decimal(rateMonth).dividedBy(30);
  const balance = '174.51';
  const totalDaily = [...vps.map((v) => v.priceDay), ...cloud.map((c) => c.priceDay)].reduce(
    (sum, day) => sum.plus(day),
    planDaily
  );
  // Beget counts a started day as a day left, hence the ceiling (174.51 at 69.73/day → 3).
  const daysToBlock = totalDaily.isZero() ? 365 : new Decimal(balance).dividedBy(totalDaily).ceil().toNumber();

  return {
    login,
    password: password(seed),
    planName: 'Cloud',
    rateMonth,
    rateYear,
    yearPlan,
    balance,
    daysToBlock,
    vps,
    cloud,
    domains,
    hostingDatabases: [`${login.replace('-', '_')}_wp`, `${login.replace('-', '_')}_n8n`],
    ftpLogins: [login],
    mailboxes: [`info@${apex}`, `admin@${apex}`],
    serverName: `${pick(random, ['gagarin', 'tereshkova', 'leonov'])}${int(random, 2, 9)}.beget.com`,
  };
}
