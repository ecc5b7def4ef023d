-- Inventory and sync history: normalized resources, snapshots, per-snapshot resource states.

CREATE TABLE sync_snapshots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  trigger text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'scheduled', 'demo', 'import')),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'success', 'partial', 'error', 'cancelled')),
  phase smallint NOT NULL DEFAULT 0,
  phase_name text,
  phases jsonb NOT NULL DEFAULT '[]',
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  duration_ms integer,
  resources_found integer NOT NULL DEFAULT 0,
  resources_created integer NOT NULL DEFAULT 0,
  resources_updated integer NOT NULL DEFAULT 0,
  resources_deleted integer NOT NULL DEFAULT 0,
  resources_unchanged integer NOT NULL DEFAULT 0,
  total_daily_cost numeric,
  total_monthly_cost numeric,
  currency char(3),
  resources_by_type jsonb NOT NULL DEFAULT '{}',
  resources_by_status jsonb NOT NULL DEFAULT '{}',
  endpoint_errors jsonb NOT NULL DEFAULT '[]',
  error_message text,
  config jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_snapshots_connection_idx ON sync_snapshots (connection_id, started_at DESC);
CREATE INDEX sync_snapshots_tenant_idx ON sync_snapshots (tenant_id, started_at DESC);

CREATE TABLE resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  provider text NOT NULL,
  provider_resource_id text NOT NULL,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('server', 'volume', 'bucket', 'database', 'ip', 'domain', 'k8s',
    'file_storage', 'network', 'load_balancer', 'other')),
  service_name text,
  region text,
  status text NOT NULL CHECK (status IN ('RUNNING', 'STOPPED', 'ERROR', 'DELETED', 'UNKNOWN')),
  is_zombie boolean NOT NULL DEFAULT false,
  is_orphan boolean NOT NULL DEFAULT false,
  parent_id uuid REFERENCES resources (id) ON DELETE SET NULL,
  specs jsonb NOT NULL DEFAULT '{}',
  tags jsonb NOT NULL DEFAULT '{}',
  daily_cost numeric,
  monthly_cost numeric,
  original_cost numeric,
  cost_period text CHECK (cost_period IS NULL OR cost_period IN ('hourly', 'daily', 'monthly', 'yearly')),
  currency char(3),
  business_unit text,
  project text,
  environment text,
  cost_center text,
  owner text,
  active boolean NOT NULL DEFAULT true,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  last_snapshot_id uuid REFERENCES sync_snapshots (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (connection_id, provider_resource_id),
  CHECK ((daily_cost IS NULL AND monthly_cost IS NULL) OR currency IS NOT NULL)
);
CREATE INDEX resources_tenant_idx ON resources (tenant_id, type, status);

CREATE TABLE resource_states (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  snapshot_id uuid NOT NULL REFERENCES sync_snapshots (id) ON DELETE CASCADE,
  resource_id uuid REFERENCES resources (id) ON DELETE SET NULL,
  provider_resource_id text NOT NULL,
  resource_type text NOT NULL,
  resource_name text NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'unchanged')),
  previous_state jsonb,
  current_state jsonb,
  changes jsonb NOT NULL DEFAULT '{}',
  service_name text,
  region text,
  status text,
  daily_cost numeric,
  monthly_cost numeric,
  currency char(3),
  has_cost_change boolean NOT NULL DEFAULT false,
  has_status_change boolean NOT NULL DEFAULT false,
  has_config_change boolean NOT NULL DEFAULT false
);
CREATE INDEX resource_states_snapshot_idx ON resource_states (snapshot_id);
CREATE INDEX resource_states_resource_idx ON resource_states (resource_id);
