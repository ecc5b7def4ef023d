import * as admin from './admin';
import * as allocation from './allocation';
import * as budgets from './budgets';
import * as common from './common';
import * as config from './config';
import * as connections from './connections';
import * as overview from './overview';
import * as recommendations from './recommendations';
import * as resources from './resources';

/**
 * Every piece of UI text of the app, in English and Russian, one module per area. `{name}` placeholders
 * are filled by `t(key, params)`. Each module types its Russian table by its English keys, so a missing
 * translation is a compile error rather than an untranslated label.
 */
const MODULES = [common, config, overview, connections, resources, recommendations, budgets, allocation, admin];

const EN = {
  ...common.en,
  ...config.en,
  ...overview.en,
  ...connections.en,
  ...resources.en,
  ...recommendations.en,
  ...budgets.en,
  ...allocation.en,
  ...admin.en,
};

export type StringKey = keyof typeof EN;

function merge(language: 'en' | 'ru'): Record<StringKey, string> {
  return Object.assign({}, ...MODULES.map((m) => m[language])) as Record<StringKey, string>;
}

export const STRINGS: Record<'en' | 'ru', Record<StringKey, string>> = { en: merge('en'), ru: merge('ru') };
