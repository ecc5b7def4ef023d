/** data-testid values of the editors, shared by the components and their tests. */
export const testIds = {
  configEditor: {
    url: 'data-testid infrazen-config-url',
    apiToken: 'data-testid infrazen-config-api-token',
    currency: 'data-testid infrazen-config-currency',
  },
  queryEditor: {
    queryType: 'data-testid infrazen-query-type',
    help: 'data-testid infrazen-query-help',
    metric: 'data-testid infrazen-query-metric',
    granularity: 'data-testid infrazen-query-granularity',
    groupBy: 'data-testid infrazen-query-group-by',
    topN: 'data-testid infrazen-query-top-n',
    resourceType: 'data-testid infrazen-query-resource-type',
    status: 'data-testid infrazen-query-status',
    flag: 'data-testid infrazen-query-flag',
    search: 'data-testid infrazen-query-search',
    limit: 'data-testid infrazen-query-limit',
    utilizationMetric: 'data-testid infrazen-query-utilization-metric',
    aggregation: 'data-testid infrazen-query-aggregation',
    utilizationGroupBy: 'data-testid infrazen-query-utilization-group-by',
    actions: 'data-testid infrazen-query-actions',
    kinds: 'data-testid infrazen-query-kinds',
  },
  filters: {
    add: 'data-testid infrazen-filter-add',
    row: 'data-testid infrazen-filter-row',
    dimension: 'data-testid infrazen-filter-dimension',
    op: 'data-testid infrazen-filter-op',
    values: 'data-testid infrazen-filter-values',
    remove: 'data-testid infrazen-filter-remove',
  },
  variableEditor: {
    dimension: 'data-testid infrazen-variable-dimension',
    tagKey: 'data-testid infrazen-variable-tag-key',
  },
};
