-- Analytics and management: FX rates, budgets, recommendations, anomalies, allocation rules, unit
-- metrics, report schedules. Later issues fill in the engines; the tables exist from the start so the
-- query API and the Grafana views have stable names.

CREATE TABLE fx_rates (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- 1 unit of from_currency = rate units of to_currency, valid from rate_date until the next entry.
  from_currency char(3) NOT NULL CHECK (from_currency ~ '^[A-Z]{3}$'),
  to_currency char(3) NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
  rate_date date NOT NULL,
  rate numeric NOT NULL CHECK (rate > 0),
  source text NOT NULL DEFAULT 'manual',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, from_currency, to_currency, rate_date),
  CHECK (from_currency <> to_currency)
);

CREATE TABLE budgets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  amount numeric NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  period text NOT NULL DEFAULT 'monthly' CHECK (period IN ('monthly', 'quarterly', 'yearly')),
  scope jsonb NOT NULL DEFAULT '{}',
  thresholds numeric[] NOT NULL DEFAULT '{50,80,100}',
  starts_on date,
  ends_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recommendations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid REFERENCES connections (id) ON DELETE CASCADE,
  resource_id uuid REFERENCES resources (id) ON DELETE SET NULL,
  fingerprint text NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  action text NOT NULL,
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'accepted', 'dismissed', 'snoozed', 'done', 'resolved')),
  status_reason text,
  snoozed_until timestamptz,
  current_monthly_cost numeric,
  estimated_monthly_savings numeric,
  currency char(3),
  confidence numeric CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
  evidence jsonb NOT NULL DEFAULT '{}',
  first_detected_at timestamptz NOT NULL DEFAULT now(),
  last_detected_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, fingerprint),
  CHECK ((current_monthly_cost IS NULL AND estimated_monthly_savings IS NULL) OR currency IS NOT NULL)
);

CREATE TABLE anomalies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid REFERENCES connections (id) ON DELETE CASCADE,
  scope_kind text NOT NULL CHECK (scope_kind IN ('tenant', 'provider', 'connection', 'service')),
  scope_key text NOT NULL,
  day date NOT NULL,
  actual numeric NOT NULL,
  expected numeric NOT NULL,
  lower_bound numeric NOT NULL,
  upper_bound numeric NOT NULL,
  score double precision NOT NULL,
  impact numeric NOT NULL,
  currency char(3) NOT NULL,
  feedback text CHECK (feedback IS NULL OR feedback IN ('confirmed', 'false_positive')),
  evidence jsonb NOT NULL DEFAULT '{}',
  detected_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, scope_kind, scope_key, day)
);

CREATE TABLE allocation_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  priority integer NOT NULL DEFAULT 100,
  match jsonb NOT NULL,
  assign jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE unit_metrics (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  ts timestamptz NOT NULL,
  value numeric NOT NULL,
  unit text,
  PRIMARY KEY (tenant_id, name, ts)
);

CREATE TABLE report_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  definition jsonb NOT NULL DEFAULT '{}',
  cron text,
  timezone text NOT NULL DEFAULT 'Europe/Moscow',
  destinations jsonb NOT NULL DEFAULT '[]',
  enabled boolean NOT NULL DEFAULT true,
  last_run_at timestamptz,
  next_run_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
