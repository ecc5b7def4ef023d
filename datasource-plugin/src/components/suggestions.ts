import { MetricFindValue, TimeRange } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { ComboboxOption } from '@grafana/ui';
import { DimensionKey } from '@infrazen/contract';

import type { DataSource } from '../datasource';
import { isDimension } from '../interpolation';
import { dimensionOptions } from '../labels';

type Loader = (input: string) => Promise<Array<ComboboxOption<string>>>;

/** Dashboard variables as `$name` options, so filters and group-by can be driven by them. */
export function variableOptions(): Array<ComboboxOption<string>> {
  return getTemplateSrv()
    .getVariables()
    .map((variable) => ({ value: `$${variable.name}`, label: `$${variable.name}` }));
}

function matches(option: ComboboxOption<string>, needle: string): boolean {
  return (option.label ?? option.value).toLowerCase().includes(needle) || option.value.toLowerCase().includes(needle);
}

/**
 * An async Combobox option source that fetches once (when the menu first opens) and filters locally as
 * the user types: the dimensions API has no search parameter and a tenant's value lists are short. A
 * failed fetch is retried on the next keystroke; meanwhile the variables are still offered.
 */
function cachedLoader(
  fetch: () => Promise<MetricFindValue[]>,
  { prefix = [], variables = true }: { prefix?: Array<ComboboxOption<string>>; variables?: boolean } = {}
): Loader {
  let pending: Promise<Array<ComboboxOption<string>>> | undefined;
  return async (input) => {
    pending ??= fetch().then((values) =>
      values.map((v) => ({ value: String(v.value ?? v.text), label: v.text || String(v.value) }))
    );
    let fetched: Array<ComboboxOption<string>> = [];
    try {
      fetched = await pending;
    } catch {
      pending = undefined;
    }
    const needle = input.trim().toLowerCase();
    const options = [...prefix, ...fetched, ...(variables ? variableOptions() : [])];
    return needle ? options.filter((option) => matches(option, needle)) : options;
  };
}

/** Values of one filter dimension (`tag:<key>` reads the values of that tag). */
export function dimensionValueLoader(datasource: DataSource, dimension: DimensionKey, range?: TimeRange): Loader {
  return cachedLoader(() => {
    if (dimension.startsWith('tag:')) {
      return datasource.dimensionValues('tag_value', { range, key: dimension.slice(4) });
    }
    return isDimension(dimension) ? datasource.dimensionValues(dimension, { range }) : Promise.resolve([]);
  });
}

/** Group-by and filter dimensions: the fixed ones, then every tag key as `tag:<key>`. */
export function dimensionKeyLoader(datasource: DataSource, range?: TimeRange): Loader {
  return cachedLoader(
    async () => {
      const tags = await datasource.dimensionValues('tag_key', { range });
      return tags.map((tag) => ({ text: `tag:${tag.text}`, value: `tag:${tag.value}` }));
    },
    { prefix: dimensionOptions(), variables: false }
  );
}

/** Tag keys as plain keys (for a tag-values variable). */
export function tagKeyLoader(datasource: DataSource, range?: TimeRange): Loader {
  return cachedLoader(() => datasource.dimensionValues('tag_key', { range }));
}
