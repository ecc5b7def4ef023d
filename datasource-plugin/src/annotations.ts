import { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame, Field, FieldType } from '@grafana/data';
import { of } from 'rxjs';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { DEFAULT_CHANGE_ACTIONS, defaultQuery } from './defaults';
import { t } from './i18n';
import { InfraZenDataQuery } from './types';

const KIND_FLAGS = [
  ['has_cost_change', 'cost'],
  ['has_status_change', 'status'],
  ['has_config_change', 'config'],
] as const;

function field(frame: DataFrame, ...names: string[]): Field | undefined {
  for (const name of names) {
    const found = frame.fields.find((f) => f.name === name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function stringAt(f: Field | undefined, row: number): string {
  const value: unknown = f?.values[row];
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function actionLabel(action: string): string {
  switch (action) {
    case 'created':
      return t('change.created');
    case 'updated':
      return t('change.updated');
    case 'deleted':
      return t('change.deleted');
    default:
      return action;
  }
}

/** Which kinds of change a row records: a `kinds` list or the `has_*_change` flags of resource_states. */
function kindsAt(frame: DataFrame, row: number): string[] {
  const listed = field(frame, 'kinds', 'kind');
  if (listed) {
    const value: unknown = listed.values[row];
    const kinds = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
    return kinds.map((k) => k.trim()).filter(Boolean);
  }
  return KIND_FLAGS.filter(([name]) => field(frame, name)?.values[row] === true).map(([, kind]) => kind);
}

/** A `tags` column holds a list per row (or a comma-separated string). */
function listAt(f: Field | undefined, row: number): string[] | undefined {
  const value: unknown = f?.values[row];
  if (Array.isArray(value)) {
    return value.map(String).filter(Boolean);
  }
  return typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;
}

/**
 * Resource changes as annotation events: one per row at its time, titled "<action> <type> <name>" in
 * the user's language, the change summary as text, and the collector's tags (provider, type, action,
 * kinds) or, without a tags column, tags built from the action, kind flags and provider. Alternative
 * column names are accepted so that a renamed column degrades to a plainer event instead of none.
 */
export function changesToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = field(frame, 'time') ?? frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    const name = field(frame, 'resource_name', 'resource', 'name');
    const type = field(frame, 'resource_type', 'type');
    const action = field(frame, 'action');
    const title = field(frame, 'title');
    const text = field(frame, 'text', 'summary', 'changes');
    const tags = field(frame, 'tags');
    const provider = field(frame, 'provider');
    for (let row = 0; row < frame.length; row++) {
      const when: unknown = time.values[row];
      if (typeof when !== 'number') {
        continue;
      }
      const actionText = stringAt(action, row);
      const built = [actionLabel(actionText), stringAt(type, row), stringAt(name, row)].filter(Boolean).join(' ');
      events.push({
        time: when,
        title: built || stringAt(title, row) || t('change.generic'),
        text: stringAt(text, row),
        tags: listAt(tags, row) ?? [actionText, ...kindsAt(frame, row), stringAt(provider, row)].filter(Boolean),
      });
    }
  }
  return events;
}

/**
 * Annotations from the `changes` query type. The stored annotation's target is run as a changes query
 * whatever else it says, and its frames become events here rather than by Grafana's generic field
 * mapping, which knows neither the column names nor the tags.
 */
export const changesAnnotationSupport: AnnotationSupport<InfraZenDataQuery> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: () => defaultQuery('changes'),
  prepareQuery: (annotation: AnnotationQuery<InfraZenDataQuery>): InfraZenDataQuery => {
    const target = annotation.target;
    const changes = target?.queryType === 'changes' ? target : undefined;
    return {
      refId: target?.refId || 'Anno',
      queryType: 'changes',
      actions: changes?.actions ?? DEFAULT_CHANGE_ACTIONS,
      ...(changes?.kinds?.length ? { kinds: changes.kinds } : {}),
      ...(target?.filters?.length ? { filters: target.filters } : {}),
    };
  },
  processEvents: (_annotation, frames) => of(changesToAnnotations(frames)),
};
