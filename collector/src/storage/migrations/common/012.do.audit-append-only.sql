-- Management (issue 6): the audit log becomes strictly append-only, carries a before/after summary, and
-- API tokens can be marked for support access.

-- Tenant purge. The foreign key from 001 nulled tenant_id when a tenant was deleted, which needed an
-- UPDATE exception in the trigger (and that exception compared only three columns, so an UPDATE that
-- nulled the tenant could rewrite the rest of the row). Without the foreign key a tenant can be deleted
-- (every other table cascades) while its audit rows stay exactly as written, tenant id included: the
-- history of a deleted tenant outlives it, and no path in the database changes a written row.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_tenant_id_fkey;

ALTER TABLE audit_log
  -- One line for people ("Token \"ci\" revoked"); the structured facts stay in details.
  ADD COLUMN summary text CHECK (summary IS NULL OR length(summary) <= 500),
  -- What the target looked like before and after the change, never with secret values.
  ADD COLUMN before_state jsonb,
  ADD COLUMN after_state jsonb;

-- Keyset pagination of one tenant's log, newest first (GET /api/v1/audit?before=<id>).
CREATE INDEX audit_log_tenant_id_idx ON audit_log (tenant_id, id DESC);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Row triggers do not fire for TRUNCATE; a statement trigger does.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Cross-tenant support access (X-Infrazen-Support-Tenant) needs a token the operator issued for it
-- (`infrazen token create --support`); no API creates one, so a tenant can never grant it to itself.
ALTER TABLE api_tokens ADD COLUMN support_access boolean NOT NULL DEFAULT false;
