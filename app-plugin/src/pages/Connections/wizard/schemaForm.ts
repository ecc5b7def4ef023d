/**
 * Connection forms generated from the collector's provider schemas (GET /providers: JSON Schema of
 * `credentials` and `settings`). Pure functions: which input each field gets, its starting value, client
 * checks mirroring the schema (the collector validates again and its 400 details land on the same
 * fields), and the request body for create or edit.
 */
import type { JsonSchema } from '../../../api/types';
import { t, tMaybe } from '../../../i18n';

export type FieldKind = 'text' | 'secret' | 'json' | 'number' | 'boolean' | 'enum' | 'multiEnum' | 'list';
export type Group = 'credentials' | 'settings';
export type FieldValue = string | boolean | string[];
export type FormValues = Record<string, FieldValue>;
export type Mode = 'create' | 'edit';

export interface FieldSpec {
  name: string;
  group: Group;
  kind: FieldKind;
  required: boolean;
  /** Endpoints and templates: rarely changed, shown under "Advanced". */
  advanced: boolean;
  schema: JsonSchema;
}

/**
 * Credential fields whose values are secrets get a masked input. Identity fields (login, accountId) stay
 * readable while typing; all credential values are write-only either way.
 */
const SECRET_NAME = /pass|secret|token|key|private|cert/i;
const ADVANCED_NAME = /Url$|UrlTemplate$|^fallbackRegions$|^domain$/;

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
}

function kindOf(schema: JsonSchema, group: Group, name: string): FieldKind {
  const type = typeOf(schema);
  if (type === 'object') {
    return 'json';
  }
  if (type === 'array') {
    return schema.items?.enum ? 'multiEnum' : 'list';
  }
  if (type === 'boolean') {
    return 'boolean';
  }
  if (type === 'integer' || type === 'number') {
    return 'number';
  }
  if (schema.enum) {
    return 'enum';
  }
  return group === 'credentials' && SECRET_NAME.test(name) ? 'secret' : 'text';
}

export function fieldsOf(schema: JsonSchema, group: Group): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    group,
    kind: kindOf(property, group, name),
    required: required.has(name),
    advanced: group === 'settings' && (ADVANCED_NAME.test(name) || property.format === 'uri'),
    schema: property,
  }));
}

/** Form state key: the group keeps a credential and a setting of the same name apart. */
export function keyOf(spec: Pick<FieldSpec, 'group' | 'name'>): string {
  return `${spec.group}.${spec.name}`;
}

/** The collector's JSON pointer for a field (`/credentials/password`), to attach its 400 details. */
export function pointerOf(spec: Pick<FieldSpec, 'group' | 'name'>): string {
  return `/${spec.group}/${spec.name}`;
}

export function fieldLabel(name: string): string {
  const label = tMaybe(`field.${name}`);
  if (label) {
    return label;
  }
  // Unknown (newer collector) fields still read well: camelCase → "Camel case".
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldHelp(name: string): string | undefined {
  return tMaybe(`field.${name}.help`);
}

function emptyValue(spec: FieldSpec): FieldValue {
  if (spec.kind === 'boolean') {
    return spec.schema.default === true;
  }
  if (spec.kind === 'multiEnum' || spec.kind === 'list') {
    return Array.isArray(spec.schema.default) ? spec.schema.default.map(String) : [];
  }
  if (spec.kind === 'json') {
    return spec.schema.default !== undefined && spec.group === 'settings'
      ? JSON.stringify(spec.schema.default, null, 2)
      : '';
  }
  return spec.schema.default !== undefined && spec.schema.default !== '' ? String(spec.schema.default) : '';
}

function storedValue(spec: FieldSpec, value: unknown): FieldValue {
  if (spec.kind === 'boolean') {
    return value === true;
  }
  if (spec.kind === 'multiEnum' || spec.kind === 'list') {
    return Array.isArray(value) ? value.map(String) : [];
  }
  if (spec.kind === 'json') {
    return JSON.stringify(value, null, 2);
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Starting values: schema defaults for a new connection, stored settings when editing. Credentials start empty. */
export function initialValues(specs: FieldSpec[], settings?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const spec of specs) {
    const stored = spec.group === 'settings' ? settings?.[spec.name] : undefined;
    values[keyOf(spec)] = stored !== undefined ? storedValue(spec, stored) : emptyValue(spec);
  }
  return values;
}

function isEmpty(value: FieldValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkString(value: string, schema: JsonSchema): string | undefined {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return t('form.tooShort', { min: schema.minLength });
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return t('form.tooLong', { max: schema.maxLength });
  }
  if (schema.format === 'uri' && !isHttpUrl(value)) {
    return t('form.url');
  }
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
    return t('form.pattern');
  }
  return undefined;
}

function checkField(spec: FieldSpec, value: FieldValue): string | undefined {
  const { schema } = spec;
  switch (spec.kind) {
    case 'text':
    case 'secret':
    case 'enum':
      return checkString(String(value).trim(), schema);
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) {
        return t('form.number');
      }
      if (typeOf(schema) === 'integer' && !Number.isInteger(n)) {
        return t('form.integer');
      }
      if (schema.minimum !== undefined && n < schema.minimum) {
        return t('form.min', { min: schema.minimum });
      }
      if (schema.maximum !== undefined && n > schema.maximum) {
        return t('form.max', { max: schema.maximum });
      }
      return undefined;
    }
    case 'json': {
      try {
        const parsed: unknown = JSON.parse(String(value));
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : t('form.json');
      } catch {
        return t('form.json');
      }
    }
    case 'list':
    case 'multiEnum': {
      const items = value as string[];
      if (schema.minItems !== undefined && items.length < schema.minItems) {
        return t('form.minItems', { min: schema.minItems });
      }
      if (schema.maxItems !== undefined && items.length > schema.maxItems) {
        return t('form.maxItems', { max: schema.maxItems });
      }
      const pattern = schema.items?.pattern ? new RegExp(schema.items.pattern) : undefined;
      const bad = pattern && items.find((item) => !pattern.test(item));
      return bad ? t('form.itemPattern', { item: bad }) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Errors by form key. When editing, an empty credential keeps the stored value, so a required one is
 * only missing when it was never stored.
 */
export function validate(
  specs: FieldSpec[],
  values: FormValues,
  mode: Mode,
  storedCredentials: string[] = []
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const key = keyOf(spec);
    const value = values[key];
    if (isEmpty(value)) {
      if (spec.kind === 'list' || spec.kind === 'multiEnum') {
        // An empty list is a value ("every folder"); only minItems makes it wrong.
        const message = checkField(spec, []);
        if (message) {
          errors[key] = message;
        }
        continue;
      }
      const kept = mode === 'edit' && spec.group === 'credentials' && storedCredentials.includes(spec.name);
      if (spec.required && !kept) {
        errors[key] = t('form.required');
      }
      continue;
    }
    const message = checkField(spec, value!);
    if (message) {
      errors[key] = message;
    }
  }
  return errors;
}

function toWire(spec: FieldSpec, value: FieldValue): unknown {
  switch (spec.kind) {
    case 'number':
      return Number(value);
    case 'json':
      return JSON.parse(String(value));
    case 'boolean':
    case 'list':
    case 'multiEnum':
      return value;
    default:
      return String(value).trim();
  }
}

/**
 * The `credentials` and `settings` of a request. Create: every filled field (empty ones take the
 * collector's defaults). Edit: only what changed — an empty credential keeps the stored one, a cleared
 * setting is sent as null, which returns it to its default.
 */
export function toPayload(
  specs: FieldSpec[],
  values: FormValues,
  mode: Mode,
  initial: FormValues = {}
): { credentials: Record<string, unknown>; settings: Record<string, unknown> } {
  const credentials: Record<string, unknown> = {};
  const settings: Record<string, unknown> = {};
  for (const spec of specs) {
    const key = keyOf(spec);
    const value = values[key];
    const target = spec.group === 'credentials' ? credentials : settings;
    if (mode === 'create' || spec.group === 'credentials') {
      if (!isEmpty(value)) {
        target[spec.name] = toWire(spec, value!);
      } else if (spec.group === 'settings' && (spec.kind === 'list' || spec.kind === 'multiEnum')) {
        // An emptied list means "none/all", not "the default".
        target[spec.name] = [];
      }
      continue;
    }
    if (JSON.stringify(value) === JSON.stringify(initial[key])) {
      continue;
    }
    target[spec.name] =
      isEmpty(value) && spec.kind !== 'list' && spec.kind !== 'multiEnum' ? null : toWire(spec, value!);
  }
  return { credentials, settings };
}

/** Five whitespace-separated cron fields (the collector checks the values themselves). */
export function isFiveFieldCron(value: string): boolean {
  return value.trim().split(/\s+/).length === 5;
}
