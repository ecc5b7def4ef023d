-- Analytics engines (issue 7): the recommendations list filters by status and the anomaly list reads the
-- newest days first; both tables already carry the tenant RLS policy (006/009).
CREATE INDEX recommendations_tenant_status_idx ON recommendations (tenant_id, status);
CREATE INDEX recommendations_connection_idx ON recommendations (connection_id);
CREATE INDEX anomalies_tenant_day_idx ON anomalies (tenant_id, day DESC);
