-- Reports (issue 10). A row of report_schedules (migration 005) is one report: its definition (scope,
-- period, sections, language, currency), an optional cron schedule in a time zone, and the destinations
-- it is delivered to. Every run is archived with its file and checksum; each delivery of a run is a row
-- with its own attempts, so a failed Telegram or email delivery never loses the rendered report.

-- Destinations are linked through report_destination_links (foreign keys), not this loose list.
ALTER TABLE report_schedules DROP COLUMN destinations;
ALTER TABLE report_schedules
  ADD CONSTRAINT report_schedules_name_check CHECK (length(name) BETWEEN 1 AND 200),
  ADD COLUMN created_by text;
CREATE UNIQUE INDEX report_schedules_name_uq ON report_schedules (tenant_id, lower(name));
-- The scheduler's claim query: enabled schedules whose slot has come.
CREATE INDEX report_schedules_due_idx ON report_schedules (next_run_at) WHERE enabled AND cron IS NOT NULL;

CREATE TABLE report_destinations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('telegram', 'email')),
  -- What is not secret (Telegram chat id; SMTP host, port, security, user name, sender, recipients).
  settings jsonb NOT NULL DEFAULT '{}',
  -- The bot token or SMTP password, encrypted like provider credentials (SecretStore).
  secret_id uuid REFERENCES secrets (id) ON DELETE SET NULL,
  secret_fields text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX report_destinations_name_uq ON report_destinations (tenant_id, lower(name));

CREATE TABLE report_destination_links (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  report_id uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
  destination_id uuid NOT NULL REFERENCES report_destinations (id) ON DELETE CASCADE,
  PRIMARY KEY (report_id, destination_id)
);
CREATE INDEX report_destination_links_destination_idx ON report_destination_links (destination_id);

CREATE TABLE report_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  report_id uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- The cron slot a scheduled run serves. Unique per report: a slot two replicas both saw runs once.
  scheduled_for timestamptz,
  requested_by text,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'rendering', 'rendered', 'delivering', 'delivered', 'delivery_failed', 'failed')),
  -- The definition as it was run (the report may be edited later) and the period it covered.
  definition jsonb NOT NULL,
  period_from timestamptz,
  period_to timestamptz,
  format text NOT NULL DEFAULT 'pdf' CHECK (format IN ('pdf', 'csv', 'xlsx')),
  file bytea,
  file_name text,
  content_type text,
  size_bytes integer,
  sha256 text CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
  -- Headline figures for the delivery captions and the app's archive list.
  summary jsonb NOT NULL DEFAULT '{}',
  error text,
  render_attempts integer NOT NULL DEFAULT 0,
  -- Lease of the replica rendering it; an expired lease (replica died) lets another one take over.
  claimed_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK (file IS NULL OR (sha256 IS NOT NULL AND size_bytes IS NOT NULL))
);
CREATE UNIQUE INDEX report_runs_slot_uq ON report_runs (report_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX report_runs_report_idx ON report_runs (report_id, created_at DESC);
CREATE INDEX report_runs_open_idx ON report_runs (created_at) WHERE status IN ('pending', 'rendering');

CREATE TABLE report_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES report_runs (id) ON DELETE CASCADE,
  destination_id uuid REFERENCES report_destinations (id) ON DELETE SET NULL,
  -- Kept so the archive still says where a run went after the destination is deleted.
  destination_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('telegram', 'email')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- Due time while pending; the sending replica's lease while sending.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  sent_at timestamptz,
  response jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, destination_id)
);
CREATE INDEX report_deliveries_due_idx ON report_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');

SELECT infrazen_enable_tenant_rls('report_destinations');
SELECT infrazen_enable_tenant_rls('report_destination_links');
SELECT infrazen_enable_tenant_rls('report_runs');
SELECT infrazen_enable_tenant_rls('report_deliveries');
GRANT SELECT, INSERT, UPDATE, DELETE ON report_destinations, report_destination_links, report_runs, report_deliveries
  TO infrazen_tenant;
