-- Plain mode: the rollups are ordinary tables with the continuous aggregates' columns. The collector
-- rebuilds the touched window after every write (storage/rollups.ts).

CREATE TABLE cost_daily (
  day timestamptz NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  provider text NOT NULL,
  service_name text,
  service_category text,
  region_id text,
  resource_id text NOT NULL,
  resource_type text,
  charge_category text NOT NULL,
  billing_currency char(3) NOT NULL,
  billed_cost numeric NOT NULL,
  effective_cost numeric NOT NULL,
  list_cost numeric,
  line_count bigint NOT NULL
);
CREATE INDEX cost_daily_tenant_day_idx ON cost_daily (tenant_id, day);
CREATE INDEX cost_daily_connection_day_idx ON cost_daily (connection_id, day);

CREATE TABLE metrics_hourly (
  hour timestamptz NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  resource_id text NOT NULL,
  metric text NOT NULL,
  avg_value double precision NOT NULL,
  min_value double precision NOT NULL,
  max_value double precision NOT NULL,
  p95_value double precision NOT NULL,
  samples bigint NOT NULL,
  PRIMARY KEY (connection_id, resource_id, metric, hour)
);
CREATE INDEX metrics_hourly_tenant_hour_idx ON metrics_hourly (tenant_id, hour);
