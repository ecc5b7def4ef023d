import type { JsonSchema } from '../../../api/types';
import { fieldLabel, fieldsOf, initialValues, isFiveFieldCron, toPayload, validate } from './schemaForm';

// Shapes as GET /providers returns them (collector/test/providers-api.test.ts checks the real ones).
const SELECTEL_CREDENTIALS: JsonSchema = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', minLength: 1, maxLength: 4096 },
    accountId: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 1 },
  },
  required: ['apiKey', 'accountId', 'password'],
};
const SELECTEL_SETTINGS: JsonSchema = {
  type: 'object',
  properties: {
    backfillDays: { type: 'integer', minimum: 1, maximum: 400 },
    collectMetrics: { default: true, type: 'boolean' },
    apiUrl: { type: 'string', format: 'uri' },
    fallbackRegions: {
      default: ['ru-1', 'ru-2'],
      type: 'array',
      items: { type: 'string', pattern: '^[a-z]{2,4}-\\d{1,2}$' },
    },
    providerKeys: {
      default: ['vpc', 'mks'],
      minItems: 1,
      type: 'array',
      items: { type: 'string', enum: ['vpc', 'mks', 's3'] },
    },
  },
};
const YANDEX_CREDENTIALS: JsonSchema = {
  type: 'object',
  properties: {
    serviceAccountKey: { type: 'object', properties: { id: { type: 'string' } } },
    oauthToken: { type: 'string', minLength: 1 },
  },
};

const specs = [...fieldsOf(SELECTEL_CREDENTIALS, 'credentials'), ...fieldsOf(SELECTEL_SETTINGS, 'settings')];

describe('schema form', () => {
  it('picks an input per field: secrets masked, identities readable, URLs advanced', () => {
    expect(specs.map((s) => [s.name, s.kind, s.required, s.advanced])).toEqual([
      ['apiKey', 'secret', true, false],
      ['accountId', 'text', true, false],
      ['password', 'secret', true, false],
      ['backfillDays', 'number', false, false],
      ['collectMetrics', 'boolean', false, false],
      ['apiUrl', 'text', false, true],
      ['fallbackRegions', 'list', false, true],
      ['providerKeys', 'multiEnum', false, false],
    ]);
    expect(fieldsOf(YANDEX_CREDENTIALS, 'credentials').map((s) => s.kind)).toEqual(['json', 'secret']);
  });

  it('starts from schema defaults, or from the stored settings when editing', () => {
    expect(initialValues(specs)).toEqual({
      'credentials.apiKey': '',
      'credentials.accountId': '',
      'credentials.password': '',
      'settings.backfillDays': '',
      'settings.collectMetrics': true,
      'settings.apiUrl': '',
      'settings.fallbackRegions': ['ru-1', 'ru-2'],
      'settings.providerKeys': ['vpc', 'mks'],
    });
    const stored = initialValues(specs, { backfillDays: 30, collectMetrics: false, providerKeys: ['s3'] });
    expect(stored['settings.backfillDays']).toBe('30');
    expect(stored['settings.collectMetrics']).toBe(false);
    expect(stored['settings.providerKeys']).toEqual(['s3']);
    // Credentials are write-only: never pre-filled.
    expect(stored['credentials.apiKey']).toBe('');
  });

  it('reports each broken rule of the schema on its field', () => {
    const values = {
      ...initialValues(specs),
      'credentials.apiKey': 'key',
      'settings.backfillDays': '1000',
      'settings.apiUrl': 'ftp://example',
      'settings.fallbackRegions': ['ru-1', 'moscow'],
      'settings.providerKeys': [],
    };
    expect(validate(specs, values, 'create')).toEqual({
      'credentials.accountId': 'Required.',
      'credentials.password': 'Required.',
      'settings.backfillDays': 'At most 400.',
      'settings.apiUrl': 'Enter an http:// or https:// URL.',
      'settings.fallbackRegions': '“moscow” does not have the expected format.',
      'settings.providerKeys': 'Choose at least 1.',
    });
    expect(validate(specs, { ...values, 'settings.backfillDays': '2.5' }, 'create')['settings.backfillDays']).toBe(
      'Enter a whole number.'
    );
  });

  it('keeps stored credentials when editing leaves them empty', () => {
    const values = { ...initialValues(specs), 'credentials.apiKey': '' };
    const errors = validate(specs, values, 'edit', ['apiKey', 'accountId', 'password']);
    expect(errors).toEqual({});
    expect(validate(specs, values, 'edit', ['apiKey'])).toEqual({
      'credentials.accountId': 'Required.',
      'credentials.password': 'Required.',
    });
  });

  it('checks JSON fields', () => {
    const yandex = fieldsOf(YANDEX_CREDENTIALS, 'credentials');
    expect(
      validate(yandex, { 'credentials.serviceAccountKey': '{"id": ', 'credentials.oauthToken': '' }, 'create')
    ).toEqual({
      'credentials.serviceAccountKey': 'Enter a JSON object.',
    });
  });

  it('builds a create body from the filled fields, typed as the schema says', () => {
    const values = {
      ...initialValues(specs),
      'credentials.apiKey': ' key-1 ',
      'credentials.accountId': '123456',
      'credentials.password': 'pw',
      'settings.backfillDays': '90',
    };
    expect(toPayload(specs, values, 'create')).toEqual({
      credentials: { apiKey: 'key-1', accountId: '123456', password: 'pw' },
      settings: {
        backfillDays: 90,
        collectMetrics: true,
        fallbackRegions: ['ru-1', 'ru-2'],
        providerKeys: ['vpc', 'mks'],
      },
    });
  });

  it('sends only changes when editing: new credentials, changed settings, null for a cleared one', () => {
    const initial = initialValues(specs, { backfillDays: 30, apiUrl: 'https://proxy.local' });
    const values = {
      ...initial,
      'credentials.password': 'rotated',
      'settings.apiUrl': '',
      'settings.collectMetrics': false,
    };
    expect(toPayload(specs, values, 'edit', initial)).toEqual({
      credentials: { password: 'rotated' },
      settings: { apiUrl: null, collectMetrics: false },
    });
  });

  it('labels known fields in the user language and humanizes unknown ones', () => {
    expect(fieldLabel('apiKey')).toBe('API key');
    expect(fieldLabel('someNewSetting')).toBe('Some new setting');
  });

  it('accepts five cron fields only', () => {
    expect(isFiveFieldCron('0 */3 * * *')).toBe(true);
    expect(isFiveFieldCron('@hourly')).toBe(false);
    expect(isFiveFieldCron('0 0 * * * *')).toBe(false);
  });
});
