/**
 * The fake legacy API, `/api/{section}/{method}`. Like the real one it answers HTTP 200 to everything
 * and signals failures in the JSON envelope: request-level (`AUTH_ERROR`, `NO_SUCH_METHOD`) or
 * method-level (`answer.status: "error"`, e.g. "Cannot access method mysql" on cloud plans).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FaultSwitchboard } from '../faults.js';
import type { BegetAccountData } from './data.js';

interface LegacyParams {
  section: string;
  method: string;
}

export interface LegacyInit {
  data: BegetAccountData;
  faults: FaultSwitchboard;
  legacyMethodsPermitted: boolean;
}

const success = (result: unknown) => ({ status: 'success', answer: { status: 'success', result } });
const methodError = (code: string, text: string) => ({
  status: 'success',
  answer: { status: 'error', errors: [{ error_code: code, error_text: text }] },
});
const requestError = (code: string, text: string) => ({ status: 'error', error_code: code, error_text: text });

/** Beget's date format in the legacy API: naive Moscow wall-clock. */
function moscowDate(date: Date, withTime = true): string {
  const iso = new Date(date.getTime() + 3 * 3_600_000).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
}

export function legacyEndpointName(request: FastifyRequest): string {
  const { section, method } = request.params as Partial<LegacyParams>;
  return `beget.legacy.${section ?? '?'}.${method ?? '?'}`;
}

/** Credentials travel in the query string (documented) or in a form/JSON body (recommended POST). */
function credentialsOf(request: FastifyRequest): { login?: string; passwd?: string } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
    string,
    unknown
  >;
  const field = (name: string) => {
    const value = body[name] ?? query[name];
    return typeof value === 'string' ? value : undefined;
  };
  return { login: field('login'), passwd: field('passwd') };
}

function accountInfo(data: BegetAccountData): Record<string, unknown> {
  // A mix of JSON numbers and numeric strings, as the real API sends.
  return {
    plan_name: data.planName,
    user_sites: 3,
    plan_site: '10',
    user_domains: data.domains.length,
    plan_domain: '20',
    user_mysqlsize: '12.4',
    plan_mysql: 10,
    user_quota: '1450',
    plan_quota: 10000,
    user_ftp: data.ftpLogins.length,
    plan_ftp: '10',
    user_mail: String(data.mailboxes.length),
    plan_mail: 100,
    user_bash: 'enabled',
    plan_cp: 'enabled',
    user_rate_current: data.yearPlan ? data.rateYear : data.rateMonth,
    user_is_year_plan: data.yearPlan ? '1' : '0',
    user_rate_year: data.rateYear,
    user_rate_month: data.rateMonth,
    user_balance: Number(data.balance),
    user_days_to_block: String(data.daysToBlock),
    server_apache_version: '2.4.62',
    server_mysql_version: '8.0.39',
    server_nginx_version: '1.26.2',
    server_perl_version: '5.36.0',
    server_python_version: '3.11.2',
    server_php_version: '8.2.24',
    server_name: data.serverName,
    server_cpu_name: '2 x Intel(R) Xeon(R) Gold 6240R CPU @ 2.40GHz',
    server_memory: 257_654,
    server_memorycurrent: '198234',
    server_loadaverage: '12.84',
    server_uptime: '87',
  };
}

export async function legacyRoutes(app: FastifyInstance, init: LegacyInit): Promise<void> {
  const { data, faults } = init;
  // Real clients POST form bodies; fastify parses only JSON out of the box.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });

  const handler = async (request: FastifyRequest) => {
    const { section, method } = request.params as LegacyParams;
    const { login, passwd } = credentialsOf(request);
    if (login !== data.login || passwd !== data.password) {
      return requestError('AUTH_ERROR', 'Authorization failed: wrong login or password');
    }
    if (faults.take(legacyEndpointName(request), ['no-access'])) {
      return methodError('METHOD_FAILED', `Cannot access method ${section}`);
    }
    switch (`${section}/${method}`) {
      case 'user/getAccountInfo':
        return success(accountInfo(data));
      case 'domain/getList':
        return success(
          data.domains.map((d) => ({
            id: d.id,
            fqdn: d.fqdn,
            date_add: moscowDate(d.dateAdd),
            auto_renew: d.registered ? 1 : 0,
            date_register: d.registered ? moscowDate(d.dateAdd, false) : null,
            date_expire: d.registered ? moscowDate(new Date(d.dateAdd.getTime() + 730 * 86_400_000), false) : null,
            can_renew: d.registered,
            registrar: d.registered ? 'Beget' : null,
            registrar_status: d.registered ? 'DELEGATED' : null,
          }))
        );
      case 'mysql/getList':
        if (!init.legacyMethodsPermitted) return methodError('METHOD_FAILED', 'Cannot access method mysql');
        return success(
          data.hostingDatabases.map((name) => ({ name, users: [{ name, host: 'localhost' }], size: '6.2' }))
        );
      case 'ftp/getList':
        if (!init.legacyMethodsPermitted) return methodError('METHOD_FAILED', 'Cannot access method ftp');
        return success(data.ftpLogins.map((ftpLogin) => ({ login: ftpLogin, path: `/home/d/${data.login}` })));
      case 'mail/getList':
        return success(data.mailboxes.map((mailbox) => ({ mailbox, forward_mail_status: 'no' })));
      default:
        return requestError('NO_SUCH_METHOD', `No such method: ${section}/${method}`);
    }
  };

  for (const httpMethod of ['GET', 'POST'] as const) {
    app.route({
      method: httpMethod,
      url: '/api/:section/:method',
      config: { endpoint: legacyEndpointName },
      handler,
    });
  }
}
