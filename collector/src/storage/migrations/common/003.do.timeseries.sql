-- Time series: billing lines (FOCUS 1.2 columns in snake_case), utilization metrics, account balances.
-- Plain and Timescale mode share these tables; 004 turns them into hypertables in Timescale mode.

CREATE TABLE cost_records (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  -- Provider resource id; '' for charges that belong to no resource (support plans, taxes).
  resource_id text NOT NULL DEFAULT '',
  -- Stable id of the line within (connection, resource, period): provider line or metric id, or a
  -- hash of a FOCUS row's identifying columns. Re-ingesting a window replaces rows with equal keys.
  line_key text NOT NULL,
  charge_period_start timestamptz NOT NULL,
  charge_period_end timestamptz NOT NULL,
  billing_period_start timestamptz,
  billing_period_end timestamptz,
  provider text NOT NULL,
  invoice_issuer text,
  billing_account_id text,
  sub_account_id text,
  sub_account_name text,
  resource_name text,
  resource_type text,
  service_name text,
  service_category text,
  region_id text,
  availability_zone text,
  charge_category text NOT NULL DEFAULT 'Usage'
    CHECK (charge_category IN ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')),
  charge_class text CHECK (charge_class IS NULL OR charge_class = 'Correction'),
  charge_description text,
  charge_frequency text,
  pricing_category text,
  pricing_quantity numeric,
  pricing_unit text,
  consumed_quantity numeric,
  consumed_unit text,
  sku_id text,
  sku_price_id text,
  list_unit_price numeric,
  contracted_unit_price numeric,
  billed_cost numeric NOT NULL,
  effective_cost numeric NOT NULL,
  list_cost numeric,
  contracted_cost numeric,
  billing_currency char(3) NOT NULL CHECK (billing_currency ~ '^[A-Z]{3}$'),
  tags jsonb NOT NULL DEFAULT '{}',
  source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'focus', 'demo')),
  import_id uuid,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  CHECK (charge_period_end >= charge_period_start),
  PRIMARY KEY (connection_id, resource_id, line_key, charge_period_start)
);
CREATE INDEX cost_records_tenant_time_idx ON cost_records (tenant_id, charge_period_start DESC);

CREATE TABLE resource_metrics (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  resource_id text NOT NULL,
  -- cpu_utilization and memory_utilization are percentages (0-100); others carry their unit.
  metric text NOT NULL,
  ts timestamptz NOT NULL,
  value double precision NOT NULL,
  unit text,
  PRIMARY KEY (connection_id, resource_id, metric, ts)
);
CREATE INDEX resource_metrics_tenant_time_idx ON resource_metrics (tenant_id, ts DESC);

CREATE TABLE account_balances (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  ts timestamptz NOT NULL,
  balance numeric NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  credit_limit numeric,
  daily_spend numeric,
  days_to_block integer,
  details jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (connection_id, ts)
);
CREATE INDEX account_balances_tenant_time_idx ON account_balances (tenant_id, ts DESC);

