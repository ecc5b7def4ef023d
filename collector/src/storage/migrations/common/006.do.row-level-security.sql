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
-- Members of infrazen_tenant may SET ROLE to it; the connecting role must be one.
DO $$
BEGIN
  EXECUTE format('GRANT infrazen_tenant TO %I', current_user);
EXCEPTION WHEN others THEN
  -- Already a member, or a superuser (who may SET ROLE to anything).
  NULL;
END
$$;
