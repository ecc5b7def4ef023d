-- Row-level security by tenant. Requests run as role infrazen_tenant with the session setting
-- infrazen.tenant_id (storage/db.ts withTenant); the owner role (migrations, the scheduler's
-- cross-tenant jobs) is not subject to it. Later migrations call infrazen_enable_tenant_rls() for each
-- new tenant table; a test fails when a table with tenant_id lacks a policy.

CREATE FUNCTION infrazen_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('infrazen.tenant_id', true), '')::uuid
$$;

CREATE FUNCTION infrazen_enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (%I = infrazen_current_tenant()) WITH CHECK (%I = infrazen_current_tenant())',
    tbl, tenant_column, tenant_column);
END
$$;

-- TimescaleDB refuses RLS on tables with compression (columnstore) enabled.
CREATE FUNCTION infrazen_is_compressed_hypertable(tbl regclass) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE result boolean := false;
BEGIN
  IF to_regclass('timescaledb_information.hypertables') IS NOT NULL THEN
    EXECUTE 'SELECT coalesce(bool_or(compression_enabled), false) FROM timescaledb_information.hypertables
             WHERE format(''%I.%I'', hypertable_schema, hypertable_name)::regclass = $1'
      INTO result USING tbl;
  END IF;
  RETURN result;
END
$$;

DO $$
DECLARE t record;
BEGIN
  PERFORM infrazen_enable_tenant_rls('tenants', 'id');
  FOR t IN
    SELECT c.oid::regclass AS tbl
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      AND NOT infrazen_is_compressed_hypertable(c.oid::regclass)
  LOOP
    PERFORM infrazen_enable_tenant_rls(t.tbl);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO infrazen_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO infrazen_tenant;
-- The audit log is append-only for tenants too (the trigger in 001 enforces it for everyone).
REVOKE UPDATE, DELETE ON audit_log FROM infrazen_tenant;
REVOKE INSERT, UPDATE, DELETE ON tenants, infrazen_meta FROM infrazen_tenant;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO infrazen_tenant;

-- Rollups are continuous aggregates (views) in Timescale mode and utilization samples are compressed
-- there: neither can carry RLS. Tenants read them through these views in both modes, one code path.
CREATE VIEW tenant_cost_daily WITH (security_barrier) AS
  SELECT * FROM cost_daily WHERE tenant_id = infrazen_current_tenant();
CREATE VIEW tenant_metrics_hourly WITH (security_barrier) AS
  SELECT * FROM metrics_hourly WHERE tenant_id = infrazen_current_tenant();
CREATE VIEW tenant_resource_metrics WITH (security_barrier) AS
  SELECT * FROM resource_metrics WHERE tenant_id = infrazen_current_tenant();
REVOKE ALL ON cost_daily, metrics_hourly, resource_metrics FROM infrazen_tenant;
GRANT SELECT ON tenant_cost_daily, tenant_metrics_hourly, tenant_resource_metrics TO infrazen_tenant;
-- Members of infrazen_tenant may SET ROLE to it; the connecting role must be one.
DO $$
BEGIN
  EXECUTE format('GRANT infrazen_tenant TO %I', current_user);
EXCEPTION WHEN others THEN
  -- Already a member, or a superuser (who may SET ROLE to anything).
  NULL;
END
$$;
