// The `demo` profile of docker-compose.yml, after the collector and the provider sandbox are up: connects
// the sandboxed Yandex Cloud, Selectel and Beget accounts through the collector's own API (as a person
// would), runs their first sync (90 days of history), and adds a monthly budget just under last month's
// spend, so the dashboards and alerts have something to show at once. Safe to run again: connections and
// the budget that exist are left alone.
//
// The sandbox credentials are derived from its seed; the sandbox module gives them (an in-process copy is
// started for a moment only to read them) and its URLs are rewritten to the sandbox service's address.
//
// Environment: INFRAZEN_COLLECTOR_URL, INFRAZEN_API_TOKEN, INFRAZEN_SANDBOX_URL, INFRAZEN_SANDBOX_MODULE
// (the compiled sandbox, default /app/collector/dist/sandbox/index.js), SANDBOX_SEED (as the sandbox's).

const collector = (process.env.INFRAZEN_COLLECTOR_URL ?? 'http://collector:8787').replace(/\/+$/, '');
const token = process.env.INFRAZEN_API_TOKEN;
const sandboxUrl = (process.env.INFRAZEN_SANDBOX_URL ?? 'http://sandbox:8790').replace(/\/+$/, '');
const sandboxModule = process.env.INFRAZEN_SANDBOX_MODULE ?? '/app/collector/dist/sandbox/index.js';
const seed = process.env.SANDBOX_SEED ? Number(process.env.SANDBOX_SEED) : undefined;
const BACKFILL_DAYS = 90;
const SYNC_TIMEOUT_MS = 15 * 60_000;

const DEMO = [
  { provider: 'yandex', name: 'Yandex Cloud (demo)' },
  { provider: 'selectel', name: 'Selectel (demo)' },
  { provider: 'beget', name: 'Beget (demo)' },
];
const BUDGET_NAME = 'Облако — месяц (демо)';

if (!token) {
  console.error('INFRAZEN_API_TOKEN is not set');
  process.exit(2);
}

async function api(method, path, body) {
  const res = await fetch(`${collector}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForSnapshot(id) {
  const until = Date.now() + SYNC_TIMEOUT_MS;
  while (Date.now() < until) {
    const snapshot = await api('GET', `/snapshots/${id}?statesLimit=0`);
    if (!['queued', 'running'].includes(snapshot.status)) return snapshot.status;
    await sleep(2_000);
  }
  throw new Error(`sync ${id} did not finish in ${SYNC_TIMEOUT_MS / 60_000} minutes`);
}

const { startSandbox } = await import(sandboxModule);
const local = await startSandbox({ seed });
const pointAtService = (settings) => JSON.parse(JSON.stringify(settings).split(local.origin).join(sandboxUrl));

const existing = new Set((await api('GET', '/connections')).items.map((c) => c.name));
const started = [];
try {
  for (const demo of DEMO) {
    if (existing.has(demo.name)) {
      console.log(`${demo.name}: exists`);
      continue;
    }
    const account = local[demo.provider];
    const created = await api('POST', '/connections', {
      name: demo.name,
      provider: demo.provider,
      credentials: account.credentials,
      settings: { ...pointAtService(account.settings), backfillDays: BACKFILL_DAYS },
    });
    const { snapshotId } = await api('POST', `/connections/${created.id}/sync`);
    console.log(`${demo.name}: created, syncing ${BACKFILL_DAYS} days (snapshot ${snapshotId})`);
    started.push({ name: demo.name, snapshotId });
  }
} finally {
  await local.close();
}

for (const s of started) console.log(`${s.name}: ${await waitForSnapshot(s.snapshotId)}`);

const budgets = (await api('GET', '/budgets')).items;
if (!budgets.some((b) => b.name === BUDGET_NAME)) {
  const now = Date.now();
  const summary = await api('POST', '/query', {
    from: now - 60 * 86_400_000,
    to: now,
    queries: [{ refId: 'S', queryType: 'cost_summary' }],
  });
  const fields = summary.results.S.frames[0].schema.fields.map((f) => f.name);
  const values = summary.results.S.frames[0].data.values;
  const lastMonth = Number(values[fields.indexOf('last_month_total')][0] ?? 0);
  if (lastMonth > 0) {
    // Just under last month: the month-end forecast crosses 100 %, a budget breach to look at.
    const amount = (Math.floor(lastMonth * 0.9 * 100) / 100).toFixed(2);
    await api('POST', '/budgets', {
      name: BUDGET_NAME,
      amount,
      currency: 'RUB',
      period: 'monthly',
      scope: { kind: 'tenant' },
      thresholds: { actual: [50, 80, 100], forecast: [100] },
    });
    console.log(`${BUDGET_NAME}: ${amount} RUB`);
  }
}
console.log('demo ready');
