-- The alerting contract: stable views in schema `grafana` that Grafana's core PostgreSQL datasource
-- (uid infrazen-tsdb) reads for Grafana-managed alert rules, since frontend-only datasources cannot be
-- evaluated by the alerting backend. Column names here are a public interface: add columns, never
-- rename or drop them (provisioning/alerting/*.yaml and people's own rules depend on them).
--
-- Who sees what. Each Grafana organization gets its own read-only login role (grafana.ensure_reader),
-- mapped to its tenant by Grafana org id in grafana.readers. The tenant of a session is taken from the
-- login role itself (session_user), which a reader cannot change, and never from the infrazen.tenant_id
-- setting that collector sessions use: anyone who can type SQL into Grafana could set that. Collector
-- sessions (role infrazen_tenant, as in storage/db.ts withTenant) see their tenant through the same views.
-- The views are security-barrier views owned by the schema owner, filtered on the tenant like the
-- tenant_* views of 006/009 (rollups are continuous aggregates in Timescale mode and cannot carry
-- row-level security); readers get no privilege on any table, only SELECT on these views.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'infrazen_grafana_reader') THEN
    CREATE ROLE infrazen_grafana_reader NOLOGIN;
  END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS grafana;
REVOKE ALL ON SCHEMA grafana FROM PUBLIC;

-- Login role → Grafana organization. By org id rather than tenant id, so a reader can be declared
-- before the collector has created the org's tenant (docker-compose does exactly that).
CREATE TABLE grafana.readers (
  role_name name PRIMARY KEY,
  grafana_org_id integer NOT NULL CHECK (grafana_org_id > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON grafana.readers FROM PUBLIC;

-- SECURITY DEFINER so that readers, who may not read grafana.readers or tenants, learn their own tenant
-- and nothing else. session_user is the login role; SET ROLE does not change it.
CREATE FUNCTION grafana.reader_tenant() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT t.id FROM grafana.readers r JOIN tenants t ON t.grafana_org_id = r.grafana_org_id
  WHERE r.role_name = session_user
$$;

-- The tenant whose rows the views show: a mapped reader's tenant; for a collector session (current
-- role infrazen_tenant) the tenant it set; nobody's otherwise (owner and unmapped roles see nothing).
CREATE FUNCTION grafana.viewer_tenant() RETURNS uuid
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT coalesce(
    grafana.reader_tenant(),
    CASE WHEN current_user = 'infrazen_tenant' THEN infrazen_current_tenant() END)
$$;

-- Creates or updates a reader for a Grafana org: login role (password optional, to keep an existing
-- one), membership of infrazen_grafana_reader, read-only defaults, and the org mapping. Run by an
-- administrator (it needs CREATEROLE); docker-compose runs it once the collector has migrated.
CREATE FUNCTION grafana.ensure_reader(reader name, org_id integer, password text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF reader IS NULL OR reader !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'reader role names are lower-case identifiers, got %', reader USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION CONNECTION LIMIT 20', reader);
  ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader AND (rolsuper OR rolcreaterole OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role % is privileged and cannot be a Grafana reader', reader USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF password IS NOT NULL THEN
    EXECUTE format('ALTER ROLE %I PASSWORD %L', reader, password);
  END IF;
  EXECUTE format('GRANT infrazen_grafana_reader TO %I', reader);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), reader);
  -- Belt and braces: a reader's transactions are read-only and short, and `grafana.` may be omitted.
  EXECUTE format('ALTER ROLE %I IN DATABASE %I SET default_transaction_read_only = on', reader, current_database());
  EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L', reader, current_database(), '30s');
  EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = grafana', reader, current_database());
  INSERT INTO grafana.readers (role_name, grafana_org_id) VALUES (reader, org_id)
  ON CONFLICT (role_name) DO UPDATE SET grafana_org_id = EXCLUDED.grafana_org_id;
END
$$;
REVOKE ALL ON FUNCTION grafana.ensure_reader(name, integer, text) FROM PUBLIC;

-- Daily cost per connection, service, region and charge category in the billing currency, plus the
-- amount in the tenant's reporting currency (NULL when fx_rates has no rate for the day). Days are
-- Moscow calendar days, like the rollup.
CREATE VIEW grafana.v_daily_cost WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id)
SELECT
  cd.day AS time,
  (cd.day AT TIME ZONE 'Europe/Moscow')::date AS day,
  cd.tenant_id,
  cd.connection_id,
  c.name AS connection_name,
  cd.provider,
  coalesce(cd.service_name, '') AS service_name,
  coalesce(cd.service_category, '') AS service_category,
  coalesce(cd.region_id, '') AS region_id,
  cd.charge_category,
  cd.billing_currency AS currency,
  sum(cd.billed_cost) AS billed_cost,
  sum(cd.effective_cost) AS effective_cost,
  sum(cd.list_cost) AS list_cost,
  t.reporting_currency,
  sum(cd.effective_cost) * CASE WHEN cd.billing_currency = t.reporting_currency THEN 1 ELSE (
    SELECT f.rate FROM fx_rates f
    WHERE f.tenant_id = cd.tenant_id AND f.from_currency = cd.billing_currency AND f.to_currency = t.reporting_currency
      AND f.rate_date <= (cd.day AT TIME ZONE 'Europe/Moscow')::date
    ORDER BY f.rate_date DESC LIMIT 1) END AS effective_cost_reporting
FROM viewer v
JOIN cost_daily cd ON cd.tenant_id = v.tenant_id
JOIN tenants t ON t.id = cd.tenant_id
LEFT JOIN connections c ON c.id = cd.connection_id
GROUP BY cd.day, cd.tenant_id, cd.connection_id, c.name, cd.provider, cd.service_name, cd.service_category,
  cd.region_id, cd.charge_category, cd.billing_currency, t.reporting_currency;

-- Cost anomalies found by the analytics engine (only increases are stored), with readable scope labels
-- as the API gives them: a connection's name, or "connection · service".
CREATE VIEW grafana.v_anomalies WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id)
SELECT
  a.id AS anomaly_id,
  (a.day::timestamp AT TIME ZONE 'Europe/Moscow') AS time,
  a.day,
  a.tenant_id,
  a.scope_kind,
  a.scope_key,
  CASE WHEN a.scope_kind = 'service'
    THEN coalesce(c.name, '?') || ' · ' || coalesce(nullif(substring(a.scope_key FROM position('/' IN a.scope_key) + 1), ''), '(no service)')
    ELSE coalesce(c.name, a.scope_key) END AS scope_label,
  a.connection_id,
  c.name AS connection_name,
  c.provider,
  CASE WHEN a.scope_kind = 'service' THEN substring(a.scope_key FROM position('/' IN a.scope_key) + 1) END AS service_name,
  a.actual,
  a.expected,
  a.lower_bound,
  a.upper_bound,
  a.impact,
  CASE WHEN a.expected > 0 THEN round((a.actual - a.expected) / a.expected * 100, 1) END AS impact_percent,
  a.score,
  a.currency,
  a.feedback,
  a.detected_at
FROM viewer v
JOIN anomalies a ON a.tenant_id = v.tenant_id
LEFT JOIN connections c ON c.id = a.connection_id AND c.tenant_id = a.tenant_id;

-- One row per live connection: its last finished sync, its last good one (success or partial: data
-- arrived), and how old the newest billed day is. `failing`: the last finished sync failed; `stale`: no
-- good sync for more than 26 hours (a daily schedule plus two hours of slack). Disabled connections are
-- neither: nobody expects them to sync.
CREATE VIEW grafana.v_sync_health WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id)
SELECT
  c.tenant_id,
  c.id AS connection_id,
  c.name AS connection_name,
  c.provider,
  c.enabled,
  c.status AS connection_status,
  last_run.status AS last_sync_status,
  last_run.started_at AS last_sync_started_at,
  last_run.completed_at AS last_sync_completed_at,
  last_run.error_message AS last_error,
  good.completed_at AS last_success_at,
  round((extract(epoch FROM now() - coalesce(good.completed_at, c.created_at)) / 3600)::numeric, 2) AS hours_since_success,
  billed.last_day AS last_cost_day,
  round((extract(epoch FROM now() - billed.last_day) / 3600)::numeric, 2) AS hours_since_cost,
  (c.enabled AND last_run.status IN ('error', 'interrupted')) AS failing,
  (c.enabled AND now() - coalesce(good.completed_at, c.created_at) > interval '26 hours') AS stale
FROM viewer v
JOIN connections c ON c.tenant_id = v.tenant_id AND c.deleted_at IS NULL
LEFT JOIN LATERAL (
  SELECT s.status, s.started_at, s.completed_at, s.error_message FROM sync_snapshots s
  WHERE s.connection_id = c.id AND s.tenant_id = c.tenant_id AND s.status NOT IN ('queued', 'running')
  ORDER BY s.started_at DESC LIMIT 1
) last_run ON true
LEFT JOIN LATERAL (
  SELECT s.completed_at FROM sync_snapshots s
  WHERE s.connection_id = c.id AND s.tenant_id = c.tenant_id AND s.status IN ('success', 'partial')
    AND s.completed_at IS NOT NULL
  ORDER BY s.completed_at DESC LIMIT 1
) good ON true
LEFT JOIN LATERAL (
  SELECT max(cd.day) AS last_day FROM cost_daily cd WHERE cd.connection_id = c.id AND cd.tenant_id = c.tenant_id
) billed ON true;

-- Prepaid accounts: the latest balance per connection and how many days it lasts. Daily spend is what
-- the provider reports with the balance (Beget does), else the average effective cost of the last seven
-- complete days in the balance's currency. runway_days = balance / daily spend, 0 when the balance is
-- spent, NULL when nothing is being spent. days_to_block is the provider's own figure (Beget).
CREATE VIEW grafana.v_balance_runway WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id),
latest AS (
  SELECT c.tenant_id, c.id AS connection_id, c.name AS connection_name, c.provider, b.ts, b.balance, b.currency,
    b.credit_limit, b.days_to_block, b.daily_spend AS reported_daily_spend
  FROM viewer v
  JOIN connections c ON c.tenant_id = v.tenant_id AND c.deleted_at IS NULL AND c.enabled
  JOIN LATERAL (
    SELECT * FROM account_balances ab WHERE ab.connection_id = c.id AND ab.tenant_id = c.tenant_id
    ORDER BY ab.ts DESC LIMIT 1
  ) b ON true
),
spend AS (
  SELECT l.*, coalesce(l.reported_daily_spend, (
    SELECT sum(cd.effective_cost) / 7 FROM cost_daily cd
    WHERE cd.connection_id = l.connection_id AND cd.tenant_id = l.tenant_id AND cd.billing_currency = l.currency
      AND cd.day >= (date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') - interval '7 days') AT TIME ZONE 'Europe/Moscow'
      AND cd.day < date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow'
  )) AS daily_spend,
  CASE WHEN l.reported_daily_spend IS NOT NULL THEN 'provider' ELSE 'costs_7d' END AS spend_source
  FROM latest l
)
SELECT
  tenant_id, connection_id, connection_name, provider,
  ts AS balance_at,
  balance, currency, credit_limit,
  round(daily_spend, 2) AS daily_spend,
  spend_source,
  CASE
    WHEN balance <= 0 THEN 0
    WHEN daily_spend > 0 THEN round(balance / daily_spend, 1)
  END AS runway_days,
  days_to_block
FROM spend;

-- Zombies (billed, no longer in the inventory) and orphans (volumes attached to nothing, unused IPs)
-- that are active now, one row per resource and kind, with the time the flag was last raised: the
-- snapshot whose resource state created the resource flagged or turned the flag on. Resources from
-- before change tracking fall back to first_seen.
CREATE VIEW grafana.v_new_waste WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id),
flagged AS (
  SELECT r.*, k.kind
  FROM viewer v
  JOIN resources r ON r.tenant_id = v.tenant_id AND r.active
  CROSS JOIN LATERAL (VALUES ('zombie', r.is_zombie), ('orphan', r.is_orphan)) AS k(kind, flag)
  WHERE k.flag
)
SELECT
  f.tenant_id,
  f.id AS resource_id,
  f.provider_resource_id,
  f.name AS resource_name,
  f.type AS resource_type,
  f.kind AS waste_kind,
  f.connection_id,
  c.name AS connection_name,
  f.provider,
  f.region,
  coalesce(since.at, f.first_seen) AS flagged_at,
  f.daily_cost,
  f.monthly_cost,
  f.currency
FROM flagged f
JOIN connections c ON c.id = f.connection_id AND c.tenant_id = f.tenant_id AND c.deleted_at IS NULL
LEFT JOIN LATERAL (
  SELECT coalesce(s.completed_at, s.started_at) AS at
  FROM resource_states rs JOIN sync_snapshots s ON s.id = rs.snapshot_id
  WHERE rs.resource_id = f.id AND rs.tenant_id = f.tenant_id
    AND ((rs.action = 'created' AND rs.current_state ->> f.kind = 'true') OR rs.changes -> f.kind ->> 'to' = 'true')
  ORDER BY s.started_at DESC LIMIT 1
) since ON true;

-- Budgets in their current period, mirroring the budgets API (collector/src/analytics/budgets.ts; keep
-- both in step):
-- - period: the calendar month, quarter or year containing today in Europe/Moscow.
-- - actual: the scope's effective cost on the period's days up to and including today (daily rollup),
--   converted to the budget's currency with the rate valid on each day; cost in a currency without a
--   rate is left out and reported in `unconverted`. Scopes filter like the `costs` query (provider,
--   connection id, service, tag on the resource); business unit and project go through allocation:
--   the resource's stored outcome (or the rules, for charges without a resource) and the shares of split
--   costs, evenly or in proportion to what each target got directly that day. Shares are exact here,
--   where the API rounds each to the kopeck (so the two can differ by kopecks per split and day).
-- - used_percent = actual / amount × 100 (two decimals); burn_rate_per_day = actual / days elapsed,
--   today counted as a whole day.
-- - forecast: unlike the API's Holt-Winters model, a linear run rate (burn rate × days in the period),
--   which SQL can compute on every alert evaluation.
-- - crossed_*: thresholds t with spend × 100 ≥ amount × t, ascending. state: 'exceeded' when actual ≥
--   amount; else 'critical' when a crossed threshold (either kind) is ≥ 80; else 'warning' when any is
--   crossed; else 'ok'.
CREATE VIEW grafana.v_budget_status WITH (security_barrier) AS
WITH viewer AS (SELECT grafana.viewer_tenant() AS tenant_id),
periods AS (
  SELECT bu.*, coalesce(bu.scope ->> 'kind', 'tenant') AS scope_kind, bu.scope ->> 'value' AS target,
    CASE coalesce(bu.scope ->> 'kind', 'tenant') WHEN 'business_unit' THEN 'businessUnit' WHEN 'project' THEN 'project' END
      AS attribute,
    -- The body of infrazen_allocation_rules (011): functions run with the reader's rights, the view with
    -- its owner's, and readers may not read allocation_rules themselves.
    CASE WHEN bu.scope ->> 'kind' IN ('business_unit', 'project') THEN (
      SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', ar.id, 'match', ar.match,
          'nameRegex', ar.name_regex, 'assign', ar.assign, 'split', ar.split)) ORDER BY ar.priority, ar.created_at, ar.id), '[]')
      FROM allocation_rules ar WHERE ar.tenant_id = bu.tenant_id AND ar.enabled) END AS rules,
    p.today_local, p.start_local, p.start_local + p.len AS end_local
  FROM viewer v
  JOIN budgets bu ON bu.tenant_id = v.tenant_id
  CROSS JOIN LATERAL (
    SELECT t.today_local,
      date_trunc(CASE bu.period WHEN 'monthly' THEN 'month' WHEN 'quarterly' THEN 'quarter' ELSE 'year' END, t.today_local)
        AS start_local,
      CASE bu.period WHEN 'monthly' THEN interval '1 month' WHEN 'quarterly' THEN interval '3 months'
        ELSE interval '1 year' END AS len
    FROM (SELECT date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') AS today_local) t
  ) p
),
-- The period's cost rows up to today that can belong to each budget, in the budget's currency.
lines AS (
  SELECT p.id AS budget_id, p.scope_kind, p.target, cd.day, cd.effective_cost,
    CASE WHEN cd.billing_currency = p.currency THEN cd.effective_cost ELSE cd.effective_cost * (
      SELECT f.rate FROM fx_rates f
      WHERE f.tenant_id = cd.tenant_id AND f.from_currency = cd.billing_currency AND f.to_currency = p.currency
        AND f.rate_date <= (cd.day AT TIME ZONE 'Europe/Moscow')::date
      ORDER BY f.rate_date DESC LIMIT 1) END AS converted,
    CASE WHEN p.attribute IS NOT NULL THEN
      (CASE WHEN r.id IS NULL THEN infrazen_allocate(p.rules, jsonb_build_object('provider', cd.provider,
          'connectionId', cd.connection_id, 'service', cd.service_name, 'name', cd.resource_id))
        ELSE r.allocation END) -> p.attribute
    END AS outcome
  FROM periods p
  JOIN cost_daily cd ON cd.tenant_id = p.tenant_id
    AND cd.day >= p.start_local AT TIME ZONE 'Europe/Moscow'
    AND cd.day < least(p.end_local, p.today_local + interval '1 day') AT TIME ZONE 'Europe/Moscow'
  LEFT JOIN resources r ON p.scope_kind IN ('tag', 'business_unit', 'project')
    AND r.tenant_id = cd.tenant_id AND r.connection_id = cd.connection_id AND r.provider_resource_id = cd.resource_id
  WHERE CASE p.scope_kind
    WHEN 'tenant' THEN true
    WHEN 'provider' THEN cd.provider = p.target
    WHEN 'connection' THEN cd.connection_id::text = p.target
    WHEN 'service' THEN coalesce(cd.service_name, '') = p.target
    WHEN 'tag' THEN coalesce(r.tags ->> (p.scope ->> 'tagKey'), '') = p.target
    ELSE p.attribute IS NOT NULL
  END
),
-- Business unit and project budgets: what each value got directly per day, and the split costs.
direct AS (
  SELECT budget_id, day, outcome ->> 'value' AS value, sum(converted) AS amount
  FROM lines WHERE outcome ->> 'source' IN ('explicit', 'tag', 'rule')
  GROUP BY budget_id, day, outcome ->> 'value'
),
splits AS (
  SELECT budget_id, day, target, outcome ->> 'mode' AS mode, outcome -> 'targets' AS targets,
    coalesce(sum(converted), 0) AS amount
  FROM lines WHERE outcome ->> 'source' = 'split' AND outcome -> 'targets' ? target
  GROUP BY budget_id, day, target, outcome ->> 'ruleId', outcome ->> 'mode', outcome -> 'targets'
),
shares AS (
  SELECT s.budget_id, CASE
      WHEN s.mode = 'proportional' AND w.total > 0 THEN s.amount * greatest(coalesce(d.amount, 0), 0) / w.total
      ELSE s.amount / jsonb_array_length(s.targets)
    END AS amount
  FROM splits s
  LEFT JOIN direct d ON d.budget_id = s.budget_id AND d.day = s.day AND d.value = s.target
  CROSS JOIN LATERAL (
    SELECT sum(greatest(coalesce(dt.amount, 0), 0)) AS total
    FROM jsonb_array_elements_text(s.targets) AS t(value)
    LEFT JOIN direct dt ON dt.budget_id = s.budget_id AND dt.day = s.day AND dt.value = t.value
  ) w
),
spent AS (
  SELECT budget_id, sum(amount) AS actual, sum(unconverted) AS unconverted FROM (
    SELECT budget_id,
      sum(converted) FILTER (WHERE scope_kind NOT IN ('business_unit', 'project')
        OR (outcome ->> 'source' <> 'split' AND outcome ->> 'value' = target))
        AS amount,
      sum(effective_cost) FILTER (WHERE converted IS NULL AND (scope_kind NOT IN ('business_unit', 'project')
        OR outcome ->> 'value' = target
        OR (outcome ->> 'source' = 'split' AND outcome -> 'targets' ? target))) AS unconverted
    FROM lines GROUP BY budget_id
    UNION ALL
    SELECT budget_id, sum(amount), NULL FROM shares GROUP BY budget_id
  ) parts
  GROUP BY budget_id
),
judged AS (
  SELECT p.*,
    coalesce(s.actual, 0) AS actual,
    coalesce(s.unconverted, 0) AS unconverted,
    (p.today_local::date - p.start_local::date) + 1 AS elapsed_days,
    p.end_local::date - p.start_local::date AS period_days
  FROM periods p LEFT JOIN spent s ON s.budget_id = p.id
),
figures AS (
  SELECT j.*, j.actual / j.elapsed_days * j.period_days AS forecast_exact FROM judged j
),
crossed AS (
  SELECT f.*,
    ARRAY(SELECT t FROM unnest(f.thresholds) t WHERE f.actual * 100 >= f.amount * t ORDER BY t) AS crossed_actual,
    ARRAY(SELECT t FROM unnest(f.forecast_thresholds) t WHERE f.forecast_exact * 100 >= f.amount * t ORDER BY t)
      AS crossed_forecast
  FROM figures f
)
SELECT
  c.tenant_id,
  c.id AS budget_id,
  c.name AS budget_name,
  c.period,
  c.start_local AT TIME ZONE 'Europe/Moscow' AS period_start,
  c.end_local AT TIME ZONE 'Europe/Moscow' AS period_end,
  c.scope_kind,
  c.target AS scope_value,
  c.scope ->> 'tagKey' AS scope_tag_key,
  c.amount,
  c.currency,
  c.actual,
  round(c.forecast_exact, 2) AS forecast,
  round(c.actual * 100 / c.amount, 2) AS used_percent,
  round(c.forecast_exact * 100 / c.amount, 2) AS forecast_percent,
  round(c.actual / c.elapsed_days, 2) AS burn_rate_per_day,
  c.unconverted,
  c.thresholds AS actual_thresholds,
  c.forecast_thresholds,
  c.crossed_actual,
  c.crossed_forecast,
  CASE
    WHEN c.actual >= c.amount THEN 'exceeded'
    WHEN EXISTS (SELECT 1 FROM unnest(c.crossed_actual || c.crossed_forecast) t WHERE t >= 80) THEN 'critical'
    WHEN cardinality(c.crossed_actual || c.crossed_forecast) > 0 THEN 'warning'
    ELSE 'ok'
  END AS state
FROM crossed c;

GRANT USAGE ON SCHEMA grafana TO infrazen_grafana_reader, infrazen_tenant;
GRANT SELECT ON grafana.v_budget_status, grafana.v_daily_cost, grafana.v_anomalies, grafana.v_sync_health, grafana.v_balance_runway,
  grafana.v_new_waste TO infrazen_grafana_reader, infrazen_tenant;
GRANT EXECUTE ON FUNCTION grafana.viewer_tenant(), grafana.reader_tenant() TO infrazen_grafana_reader, infrazen_tenant;
