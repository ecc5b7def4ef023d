import { AdHocVariableFilter, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import { Dimension, DIMENSIONS, DimensionFilter, DimensionKey } from '@infrazen/contract';

import { InfraZenDataQuery } from './types';

/** Grafana's value for "All" in a variable's current selection. */
const ALL_VALUE = '$__all';

/** A value that is exactly one variable reference: `$name`, `${name}`, `${name:format}`, `[[name]]`. */
const WHOLE_VARIABLE = /^\s*(?:\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\])\s*$/;

export function isDimension(value: string): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}

export function isDimensionKey(value: string): value is DimensionKey {
  return isDimension(value) || (value.startsWith('tag:') && value.length > 4);
}

function wholeVariableName(value: string): string | undefined {
  const match = WHOLE_VARIABLE.exec(value);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** True when the dashboard variable `name` has "All" selected (and no repeated panel pins one value). */
function isAllSelected(name: string, scopedVars: ScopedVars | undefined, templateSrv: TemplateSrv): boolean {
  if (scopedVars?.[name]) {
    return false;
  }
  const variable = templateSrv.getVariables().find((v) => v.name === name);
  if (!variable || !('current' in variable) || !variable.current) {
    return false;
  }
  const value = variable.current.value;
  return Array.isArray(value) ? value.includes(ALL_VALUE) : value === ALL_VALUE;
}

type Expanded = { all: true } | { all: false; values: string[] };

/**
 * One list entry after interpolation. A value that is a single variable becomes that variable's values
 * (several for a multi-value variable) or "all"; any other text is interpolated into one value.
 */
function expand(value: string, scopedVars: ScopedVars | undefined, templateSrv: TemplateSrv): Expanded {
  const name = wholeVariableName(value);
  if (!name) {
    return { all: false, values: [templateSrv.replace(value, scopedVars)] };
  }
  if (isAllSelected(name, scopedVars, templateSrv)) {
    return { all: true };
  }
  let found = false;
  const values: string[] = [];
  // A format function receives a multi-value variable's values as an array instead of Grafana's `{a,b}`.
  const text = templateSrv.replace(value, scopedVars, (selected: string | string[]) => {
    found = true;
    values.push(...(Array.isArray(selected) ? selected : [selected]));
    return values.join(',');
  });
  // An unknown variable is left as written, so the collector reports the value it could not match.
  return { all: false, values: found ? values : [text] };
}

/** Interpolates a list of values; "All" anywhere in it yields `undefined` ("no constraint"). */
export function expandList(
  list: string[] | undefined,
  scopedVars: ScopedVars | undefined,
  templateSrv: TemplateSrv
): string[] | undefined {
  const out: string[] = [];
  for (const value of list ?? []) {
    const expanded = expand(value, scopedVars, templateSrv);
    if (expanded.all) {
      return undefined;
    }
    out.push(...expanded.values);
  }
  return Array.from(new Set(out.filter((v) => v !== '')));
}

/**
 * Filters with their variables resolved. "All" means no filter, so such a filter is dropped, and so is
 * one left without values (a multi-value variable with nothing selected).
 */
export function interpolateFilters(
  filters: DimensionFilter[] | undefined,
  scopedVars: ScopedVars | undefined,
  templateSrv: TemplateSrv
): DimensionFilter[] {
  const out: DimensionFilter[] = [];
  for (const filter of filters ?? []) {
    const values = expandList(filter.values, scopedVars, templateSrv);
    if (values?.length) {
      out.push({ ...filter, values });
    }
  }
  return out;
}

/**
 * Ad hoc filters as dimension filters: `=` and "one of" (`=|`) include, `!=` and "not one of"
 * (`!=|`) exclude. Keys that are not dimensions and operators without a dimension-filter meaning (regex,
 * comparisons) are skipped: getTagKeys only offers dimensions, so these come from hand-edited URLs.
 */
export function adHocToFilters(filters: AdHocVariableFilter[] | undefined): DimensionFilter[] {
  const out: DimensionFilter[] = [];
  for (const filter of filters ?? []) {
    if (!isDimensionKey(filter.key)) {
      continue;
    }
    const values = filter.values?.length ? filter.values : [filter.value];
    switch (filter.operator) {
      case '=':
      case '=|':
        out.push({ dimension: filter.key, op: 'include', values });
        break;
      case '!=':
      case '!=|':
        out.push({ dimension: filter.key, op: 'exclude', values });
        break;
      default:
        break;
    }
  }
  return out;
}

/** A string field with its variables resolved; empty results drop the field (the collector's "any"). */
function text(value: string | undefined, scopedVars: ScopedVars | undefined, templateSrv: TemplateSrv) {
  const replaced = value === undefined ? undefined : templateSrv.replace(value, scopedVars);
  return replaced ? replaced : undefined;
}

/**
 * A query as the collector should run it: variables resolved in filters, resource ids and text fields,
 * and the dashboard's ad hoc filters appended as filters. (Group-by holds dimension keys only: the
 * contract types it so, and the editor offers dimensions, not variables.)
 */
export function interpolateQuery(
  query: InfraZenDataQuery,
  scopedVars: ScopedVars | undefined,
  templateSrv: TemplateSrv,
  adHocFilters?: AdHocVariableFilter[]
): InfraZenDataQuery {
  const filters = [...interpolateFilters(query.filters, scopedVars, templateSrv), ...adHocToFilters(adHocFilters)];
  switch (query.queryType) {
    case 'resources':
      return {
        ...query,
        filters,
        type: text(query.type, scopedVars, templateSrv),
        status: text(query.status, scopedVars, templateSrv),
        search: text(query.search, scopedVars, templateSrv),
      };
    case 'utilization':
      return { ...query, filters, resourceIds: expandList(query.resourceIds, scopedVars, templateSrv) };
    default:
      return { ...query, filters };
  }
}
