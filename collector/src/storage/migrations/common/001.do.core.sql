-- Core: tenants (one per Grafana organization), API tokens, encrypted secrets, connections, audit log.
-- Tenant-scoped access runs as role infrazen_tenant with infrazen.tenant_id set (see storage/db.ts);
-- row-level security is defined for every tenant table in 005.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'infrazen_tenant') THEN
    CREATE ROLE infrazen_tenant NOLOGIN;
  END IF;
END
$$;

CREATE TABLE infrazen_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grafana_org_id integer NOT NULL UNIQUE CHECK (grafana_org_id > 0),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  reporting_currency char(3) NOT NULL DEFAULT 'RUB' CHECK (reporting_currency ~ '^[A-Z]{3}$'),
  timezone text NOT NULL DEFAULT 'Europe/Moscow',
  locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- The first characters of the token, safe to show so people can tell tokens apart.
  prefix text NOT NULL,
  -- SHA-256 of the whole token: tokens carry 256 random bits, so a fast hash is enough.
  token_hash bytea NOT NULL UNIQUE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id);

-- Every secret (provider credentials now, delivery tokens later) is one row here, so key rotation
-- re-encrypts a single table.
CREATE TABLE secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  purpose text NOT NULL,
  key_id text NOT NULL,
  ciphertext text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz
);
CREATE INDEX secrets_key_idx ON secrets (key_id);

CREATE TABLE connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  provider text NOT NULL CHECK (provider IN ('beget', 'selectel', 'yandex', 'cloudru', 'vkcloud', 'focus')),
  credentials_secret_id uuid REFERENCES secrets (id) ON DELETE SET NULL,
  -- Which credential fields are set (never their values), for display.
  credential_fields text[] NOT NULL DEFAULT '{}',
  settings jsonb NOT NULL DEFAULT '{}',
  schedule text,
  enabled boolean NOT NULL DEFAULT true,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'error', 'syncing', 'disabled')),
  account jsonb NOT NULL DEFAULT '{}',
  last_sync_at timestamptz,
  last_sync_status text,
  last_error text,
  next_sync_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX connections_name_uq ON connections (tenant_id, lower(name)) WHERE deleted_at IS NULL;

-- Append-only: the trigger below refuses UPDATE and DELETE for everyone, owner included.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid REFERENCES tenants (id) ON DELETE SET NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'token', 'system', 'cli')),
  action text NOT NULL,
  target_kind text,
  target_id text,
  source_ip text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A tenant's rows lose their tenant when the tenant itself is deleted (FK SET NULL); allow only that.
  IF TG_OP = 'UPDATE' AND NEW.tenant_id IS NULL AND OLD.tenant_id IS NOT NULL
     AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.actor = OLD.actor THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
