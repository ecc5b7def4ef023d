/**
 * Beget's legacy API (`/api/{section}/{method}`): account facts, domains, hosting databases, FTP and
 * mail. It authenticates every call with login/password and always answers HTTP 200, putting failures
 * into one of two JSON envelopes (PROVIDERS.md), so errors are recognised here, not by status code.
 */
import type { ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import type { BegetCredentials } from './schema.js';
import { asArray, asObject, isObject, str } from './values.js';

export interface LegacyApi {
  /** The `answer.result` of a successful call; throws ProviderError for either error envelope. */
  call(section: string, method: string): Promise<unknown>;
}

export const legacyEndpoint = (section: string, method: string): string => `legacy.${section}.${method}`;

export function createLegacyApi(init: {
  apiUrl: string;
  credentials: BegetCredentials;
  http: ProviderHttpClient;
}): LegacyApi {
  return {
    async call(section, method) {
      const endpoint = legacyEndpoint(section, method);
      // POST with a form body, never the documented query string: URLs end up in proxy and debug logs,
      // request bodies do not.
      const res = await init.http.request({
        endpoint,
        method: 'POST',
        url: `${init.apiUrl}/api/${section}/${method}`,
        form: { login: init.credentials.login, passwd: init.credentials.password, output_format: 'json' },
        auth: false,
      });
      return parseLegacyEnvelope(endpoint, res.body);
    },
  };
}

const NO_ACCESS = /cannot access method/i;

/** Provider texts go into user-facing messages: keep them one short line. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Unwraps `{status, answer:{status, result}}`. Request-level errors (`status: "error"`) and method-level
 * errors (`answer.status: "error"`) both become ProviderErrors; "Cannot access method …" is a permission
 * the plan lacks (cloud plans refuse mysql/ftp), so it is `forbidden`, not a provider fault.
 */
export function parseLegacyEnvelope(endpoint: string, body: unknown): unknown {
  if (!isObject(body)) {
    throw new ProviderError('bad_response', endpoint, `beget ${endpoint}: the response is not a Beget API envelope`);
  }
  if (body.status === 'error') {
    const code = str(body.error_code);
    const text = str(body.error_text) ?? str(body.error) ?? '';
    if (code === 'AUTH_ERROR') {
      // The provider's own text is left out: it may echo the login back.
      throw new ProviderError('auth', endpoint, 'Beget rejected the login or password (legacy API, AUTH_ERROR)');
    }
    if (NO_ACCESS.test(text)) throw noAccess(endpoint, text);
    throw new ProviderError(
      'provider',
      endpoint,
      `beget ${endpoint}: ${code ?? 'error'}${text ? `: ${clip(text)}` : ''}`
    );
  }
  if (body.status !== 'success' || !isObject(body.answer)) {
    throw new ProviderError('bad_response', endpoint, `beget ${endpoint}: unexpected envelope status`);
  }
  const answer = body.answer;
  if (answer.status === 'error') {
    const errors = asArray(answer.errors).map(asObject);
    const texts = errors.map((e) => str(e.error_text) ?? str(e.error_code) ?? 'error');
    const noAccessText = texts.find((t) => NO_ACCESS.test(t));
    if (noAccessText) throw noAccess(endpoint, noAccessText);
    const codes = errors.map((e) => str(e.error_code)).filter((c): c is string => c !== undefined);
    throw new ProviderError(
      'provider',
      endpoint,
      `beget ${endpoint}: ${codes[0] ?? 'METHOD_FAILED'}: ${clip(texts.join('; ') || 'method failed')}`
    );
  }
  if (answer.status !== 'success') {
    throw new ProviderError('bad_response', endpoint, `beget ${endpoint}: unexpected answer status`);
  }
  return answer.result;
}

function noAccess(endpoint: string, text: string): ProviderError {
  return new ProviderError(
    'forbidden',
    endpoint,
    `beget ${endpoint}: the account's plan does not permit this method (${clip(text)})`
  );
}
