-- Sync engine: interrupted snapshots, the billing window each sync read, scheduled slots (one sync per
-- slot even with several collector replicas), and where a resource's cost came from.

ALTER TABLE sync_snapshots DROP CONSTRAINT sync_snapshots_status_check;
ALTER TABLE sync_snapshots ADD CONSTRAINT sync_snapshots_status_check
  CHECK (status IN ('queued', 'running', 'success', 'partial', 'error', 'cancelled', 'interrupted'));
ALTER TABLE sync_snapshots
  ADD COLUMN window_start timestamptz,
  ADD COLUMN window_end timestamptz,
  -- The schedule slot this run serves (NULL for manual runs). Unique per connection: a slot that two
  -- replicas both saw still runs once.
  ADD COLUMN scheduled_for timestamptz,
  -- Which collector process ran it (host:pid), for operators running several replicas.
  ADD COLUMN instance text,
  ADD COLUMN lines_written bigint NOT NULL DEFAULT 0,
  ADD COLUMN metrics_written bigint NOT NULL DEFAULT 0,
  ADD COLUMN stats jsonb NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX sync_snapshots_slot_uq ON sync_snapshots (connection_id, scheduled_for)
  WHERE scheduled_for IS NOT NULL;
CREATE INDEX sync_snapshots_running_idx ON sync_snapshots (connection_id) WHERE status = 'running';

-- 'billing' (from billed lines), 'price' (provider's stated price, e.g. Beget), 'list' (reference price
-- list, e.g. a Selectel volume without billing lines).
ALTER TABLE resources ADD COLUMN cost_source text CHECK (cost_source IS NULL OR cost_source IN ('billing', 'price', 'list'));
ALTER TABLE resources ADD COLUMN service_category text;
CREATE INDEX resources_connection_active_idx ON resources (connection_id) WHERE active;

CREATE INDEX connections_due_idx ON connections (next_sync_at) WHERE enabled AND deleted_at IS NULL;

-- Connections the embedded demo created against the provider sandbox (re-pointed at it on every start).
ALTER TABLE connections ADD COLUMN demo boolean NOT NULL DEFAULT false;
