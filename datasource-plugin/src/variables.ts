import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, map, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { InfraZenVariableQuery } from './types';

/**
 * Query variables list a dimension's values from the dimensions API (providers, services, tag values …),
 * edited with VariableQueryEditor. Values come back as `{text, value}` so that a connection or resource
 * variable shows names while filtering by id.
 */
export class InfraZenVariableSupport extends CustomVariableSupport<DataSource, InfraZenVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<InfraZenVariableQuery>): Observable<DataQueryResponse> {
    const [query] = request.targets;
    return from(this.datasource.variableValues(query, request.range, request.scopedVars)).pipe(
      map((values) => ({ data: values }))
    );
  }
}
