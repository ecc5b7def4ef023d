-- Timescale mode: hypertables, continuous aggregates, compression and retention.
-- The aggregates' columns and grouping are exactly those of plain/004 and storage/rollups.ts; the
-- differential test in test/timescale-lane.test.ts holds the two modes to the same results.
-- Days are Moscow calendar days (the product's reporting day); see collector/README.md.

SELECT create_hypertable('cost_records', by_range('charge_period_start', INTERVAL '7 days'));
SELECT create_hypertable('resource_metrics', by_range('ts', INTERVAL '1 day'));
SELECT create_hypertable('account_balances', by_range('ts', INTERVAL '30 days'));

CREATE MATERIALIZED VIEW cost_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  time_bucket(INTERVAL '1 day', charge_period_start, 'Europe/Moscow') AS day,
  tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
  resource_type, charge_category, billing_currency,
  sum(billed_cost) AS billed_cost,
  sum(effective_cost) AS effective_cost,
  sum(list_cost) AS list_cost,
  count(*) AS line_count
FROM cost_records
GROUP BY 1, tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
  resource_type, charge_category, billing_currency
WITH NO DATA;

CREATE MATERIALIZED VIEW metrics_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  time_bucket(INTERVAL '1 hour', ts) AS hour,
  tenant_id, connection_id, resource_id, metric,
  avg(value) AS avg_value,
  min(value) AS min_value,
  max(value) AS max_value,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95_value,
  count(*) AS samples
FROM resource_metrics
GROUP BY 1, tenant_id, connection_id, resource_id, metric
WITH NO DATA;

-- The collector refreshes the touched window after each write; the policies catch anything else.
SELECT add_continuous_aggregate_policy('cost_daily',
  start_offset => INTERVAL '400 days', end_offset => NULL, schedule_interval => INTERVAL '1 hour');
SELECT add_continuous_aggregate_policy('metrics_hourly',
  start_offset => INTERVAL '7 days', end_offset => NULL, schedule_interval => INTERVAL '30 minutes');

-- TimescaleDB cannot compress a table that has row-level security, so the choice is per table:
-- billing lines and balances keep RLS and stay uncompressed (restated bills rewrite old periods, which
-- is slow on compressed chunks anyway); utilization samples, by far the largest, are compressed and
-- reached by tenants only through the tenant_resource_metrics view (006).
ALTER TABLE resource_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'tenant_id, connection_id, resource_id',
  timescaledb.compress_orderby = 'ts DESC, metric'
);
SELECT add_compression_policy('resource_metrics', INTERVAL '7 days');
-- Raw utilization samples age out; metrics_hourly keeps the hourly shape for rightsizing history.
SELECT add_retention_policy('resource_metrics', INTERVAL '180 days');
SELECT add_retention_policy('metrics_hourly', INTERVAL '3 years');

