import { DataFrame, dataFrameFromJSON, FieldType } from '@grafana/data';
import type { DataFrameJSON, QueryResponse } from '@infrazen/contract';

/** The frames of one query of a POST /query answer; a per-query error rejects like a failed request. */
export function framesOf(response: QueryResponse, refId: string): DataFrameJSON[] {
  const result = response.results[refId];
  if (!result) {
    return [];
  }
  if (result.error) {
    throw new Error(result.error);
  }
  return result.frames;
}

/** The values of a named field of a frame (empty when the field is missing). */
export function fieldValues(frame: DataFrameJSON | undefined, name: string): unknown[] {
  if (!frame) {
    return [];
  }
  const index = frame.schema.fields.findIndex((f) => f.name === name);
  return index < 0 ? [] : (frame.data.values[index] ?? []);
}

/** The first value of a named numeric field (KPI frames have one row). */
export function firstNumber(frame: DataFrameJSON | undefined, name: string): number | null {
  const value = fieldValues(frame, name)[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The `custom` metadata the collector attaches to a frame (the KPI frame's currency). */
export function frameCustom(frame: DataFrameJSON | undefined): Record<string, unknown> {
  return frame?.schema.meta?.custom ?? {};
}

const FIELD_TYPES: Record<string, FieldType> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
  other: FieldType.other,
};

/** A contract frame as a Grafana DataFrame (for PanelRenderer): the field type names map to Grafana's enum. */
export function toDataFrame(frame: DataFrameJSON): DataFrame {
  return dataFrameFromJSON({
    schema: {
      ...frame.schema,
      fields: frame.schema.fields.map((f) => ({
        ...f,
        type: FIELD_TYPES[f.type] ?? FieldType.other,
        config: f.config ?? {},
      })),
    },
    data: frame.data,
  });
}
