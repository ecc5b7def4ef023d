import {
  DataFrame,
  DataFrameJSON,
  dataFrameFromJSON,
  DataLink,
  DataQueryError,
  DataQueryResponse,
  FieldType,
} from '@grafana/data';
import type {
  DataFrameJSON as ContractFrame,
  FieldSchema as ContractField,
  FieldType as ContractFieldType,
  QueryResponse,
} from '@infrazen/contract';

import { t } from './i18n';

/** The InfraZen app's resource page; the app reads the resource id from `?id=`. */
export const RESOURCE_PAGE = '/a/infrazen-finops-app/resources';

const FIELD_TYPES: Record<ContractFieldType, FieldType> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
  other: FieldType.other,
};

function resourceLink(idExpression: string): DataLink {
  return { title: t('link.resource'), url: `${RESOURCE_PAGE}?id=\${${idExpression}}` };
}

/**
 * Where a frame carries a resource id, which fields link to the resource page and with which id
 * expression: the `resource_id` column itself and the `resource` name column beside it (cost tables
 * grouped by resource), the `name` column of the inventory table (its `id` column is hidden), and series
 * labelled with a `resource_id`.
 */
function linkFor(field: ContractField, names: Set<string>): DataLink | undefined {
  if (field.name === 'resource_id') {
    return resourceLink('__value.raw');
  }
  if (field.name === 'resource' && names.has('resource_id')) {
    return resourceLink('__data.fields.resource_id');
  }
  if (field.name === 'name' && names.has('id') && names.has('provider_resource_id')) {
    return resourceLink('__data.fields.id');
  }
  if (field.labels?.resource_id) {
    return resourceLink('__field.labels.resource_id');
  }
  return undefined;
}

/** Grafana's JSON shape for one contract frame, with resource links added where none were set. */
export function toGrafanaFrameJSON(frame: ContractFrame, refId: string): DataFrameJSON {
  const names = new Set(frame.schema.fields.map((field) => field.name));
  return {
    schema: {
      ...frame.schema,
      refId: frame.schema.refId ?? refId,
      fields: frame.schema.fields.map((field) => {
        const link = field.config?.links?.length ? undefined : linkFor(field, names);
        const config = link ? { ...field.config, links: [link] } : (field.config ?? {});
        return { ...field, type: FIELD_TYPES[field.type] ?? FieldType.other, config };
      }),
    },
    data: frame.data,
  };
}

export function toDataFrame(frame: ContractFrame, refId: string): DataFrame {
  return dataFrameFromJSON(toGrafanaFrameJSON(frame, refId));
}

/**
 * The collector's `{results}` as Grafana's response: every frame of every requested query, and one error
 * per failed query (with its refId, so the panel marks just that query) while the others still show.
 */
export function toQueryResponse(response: QueryResponse, refIds: string[]): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const refId of refIds) {
    const result = response.results?.[refId];
    if (!result) {
      errors.push({ refId, message: t('error.noResult') });
      continue;
    }
    if (result.error) {
      errors.push({ refId, message: result.error, status: result.status });
    }
    for (const frame of result.frames ?? []) {
      data.push(toDataFrame(frame, refId));
    }
  }
  return errors.length ? { data, errors } : { data };
}
