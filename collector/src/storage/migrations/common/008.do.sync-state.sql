-- Per-connection connector state carried from one successful sync to the next (e.g. which billing export
-- objects were already read, and their updated_at), so connectors can read incrementally.
ALTER TABLE connections ADD COLUMN sync_state jsonb NOT NULL DEFAULT '{}';
