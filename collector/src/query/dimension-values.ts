/** Values of a dimension for template variables and editor suggestions (tenant-scoped, whitelisted). */
import type { DimensionFilter, DimensionValue } from '../contract/query.js';
import type { Queryable } from '../storage/db.js';
import { dimensionSql, filterSql, isTagDimension, Params, QueryInputError, COST_RESOURCE_JOIN } from './dimensions.js';

const RESOURCE_FIELDS: Record<string, string> = {
  business_unit: 'business_unit',
  project: 'project',
  environment: 'environment',
  cost_center: 'cost_center',
};

export interface DimensionValuesInput {
  dimension: string;
  from: Date;
  to: Date;
  filters?: DimensionFilter[];
  key?: string;
  limit: number;
}

export async function dimensionValues(tx: Queryable, input: DimensionValuesInput): Promise<DimensionValue[]> {
  const params = new Params();
  const limit = () => params.add(input.limit);
  const { dimension } = input;

  if (dimension === 'connection') {
    return tx.query<DimensionValue>(
      `SELECT id::text AS value, name AS text FROM connections WHERE deleted_at IS NULL ORDER BY lower(name) LIMIT ${limit()}`,
      params.values
    );
  }
  if (dimension === 'tag_key') {
    return tx.query<DimensionValue>(
      `SELECT DISTINCT k AS value, k AS text FROM resources, jsonb_object_keys(tags) AS k WHERE active ORDER BY 1 LIMIT ${limit()}`,
      params.values
    );
  }
  if (dimension === 'tag_value' || isTagDimension(dimension)) {
    const key = dimension === 'tag_value' ? input.key : dimension.slice(4);
    if (!key) throw new QueryInputError('tag_value needs ?key=<tag key>');
    return tx.query<DimensionValue>(
      `SELECT DISTINCT tags ->> ${params.add(key)} AS value, tags ->> $1 AS text FROM resources
       WHERE active AND tags ? $1 ORDER BY 1 LIMIT ${limit()}`,
      params.values
    );
  }
  if (RESOURCE_FIELDS[dimension]) {
    const col = RESOURCE_FIELDS[dimension];
    return tx.query<DimensionValue>(
      `SELECT DISTINCT ${col} AS value, ${col} AS text FROM resources WHERE active AND ${col} IS NOT NULL ORDER BY 1 LIMIT ${limit()}`,
      params.values
    );
  }
  // Everything else comes from the costs of the range, narrowed by the other variables' filters.
  const dim = dimensionSql(dimension as never, params);
  const where = [
    `cd.day >= ${params.add(input.from)}`,
    `cd.day < ${params.add(input.to)}`,
    ...filterSql(
      input.filters?.filter((f) => f.dimension !== dimension),
      params
    ),
  ];
  const text = [dim.value, dim.label, ...where].join(' ');
  return tx.query<DimensionValue>(
    `SELECT ${dim.value} AS value, min(${dim.label}) AS text
     FROM tenant_cost_daily cd
     ${/\br\./.test(text) ? COST_RESOURCE_JOIN : ''}
     ${/\bc\./.test(text) ? 'LEFT JOIN connections c ON c.id = cd.connection_id' : ''}
     WHERE ${where.join(' AND ')} AND ${dim.value} <> ''
     GROUP BY 1 ORDER BY 2, 1 LIMIT ${limit()}`,
    params.values
  );
}
