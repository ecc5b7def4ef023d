-- Analytics (issue 7): budgets with forecast thresholds, allocation rules that fill the resource
-- attributes (business unit, project, environment, cost center) without tags, and unit metrics.

-- Budgets -------------------------------------------------------------------------------------------
-- `thresholds` (005) are the percentages of the amount that the actual spend to date is checked
-- against; these are checked against the forecast spend at the end of the period.
ALTER TABLE budgets ADD COLUMN forecast_thresholds numeric[] NOT NULL DEFAULT '{100}';
ALTER TABLE budgets ALTER COLUMN scope SET DEFAULT '{"kind": "tenant"}';
ALTER TABLE budgets ADD CONSTRAINT budgets_scope_kind_check CHECK (
  coalesce(scope ->> 'kind', 'tenant') IN ('tenant', 'provider', 'connection', 'service', 'tag', 'business_unit', 'project'));
ALTER TABLE budgets ADD CONSTRAINT budgets_thresholds_check CHECK (
  cardinality(thresholds) <= 10 AND cardinality(forecast_thresholds) <= 10
  AND 0 < ALL (thresholds) AND 1000 >= ALL (thresholds)
  AND 0 < ALL (forecast_thresholds) AND 1000 >= ALL (forecast_thresholds));
CREATE INDEX budgets_tenant_idx ON budgets (tenant_id, created_at);

-- Unit metrics --------------------------------------------------------------------------------------
ALTER TABLE unit_metrics ADD CONSTRAINT unit_metrics_name_check CHECK (length(name) BETWEEN 1 AND 100);
ALTER TABLE unit_metrics ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Allocation rules ----------------------------------------------------------------------------------
-- `match` and `assign` (005) hold the rule as the API takes it; `name_regex` is its name pattern compiled
-- to a PostgreSQL regular expression (globs are translated, /regex/ is checked by the database that
-- runs it); `split` spreads a shared cost over several values of one attribute.
ALTER TABLE allocation_rules
  ADD COLUMN name_regex text,
  ADD COLUMN split jsonb;
ALTER TABLE allocation_rules ADD CONSTRAINT allocation_rules_name_check CHECK (length(name) BETWEEN 1 AND 200);
CREATE INDEX allocation_rules_tenant_idx ON allocation_rules (tenant_id, priority) WHERE enabled;

-- The evaluator, shared by the resource triggers below and by the analytics queries (which also call
-- it with rules that are not saved yet, for the preview). `obj` describes one cost object:
--   {provider, connectionId, service, name, projects: [folder/project ids and names], tags: {},
--    explicit: {attribute: value}}
-- `rules` is an array of {id, match, nameRegex, assign, split} in priority order. Per attribute the
-- first source wins: an explicit value on the resource, then a tag on it (keys below, case-insensitive),
-- then the first matching rule that assigns or splits it. The result names the source of each value:
--   {businessUnit: {value, source: 'explicit'|'tag'|'rule', tagKey?, ruleId?}
--                | {source: 'split', ruleId, mode, targets}, project: …, environment: …, costCenter: …}
-- Written for speed (it runs for every new or changed resource): plain expressions wherever possible,
-- one query for the tags and one for the rules at most.
CREATE FUNCTION infrazen_allocate(rules jsonb, obj jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  attrs CONSTANT text[] := ARRAY['businessUnit', 'project', 'environment', 'costCenter'];
  result jsonb := '{}';
  decided int := 0;
  tags jsonb;
  tag_keys text[];
  projects text[];
  attr text;
  val text;
  key text;
  rule jsonb;
  m jsonb;
  split_dim text;
BEGIN
  -- Tags by lower-cased key: {key: [original key, value]}.
  IF jsonb_typeof(obj -> 'tags') = 'object' AND obj -> 'tags' <> '{}'::jsonb THEN
    SELECT jsonb_object_agg(lower(t.key), jsonb_build_array(t.key, btrim(t.value)) ORDER BY t.key) INTO tags
    FROM jsonb_each_text(obj -> 'tags') AS t WHERE btrim(t.value) <> '';
  END IF;
  FOREACH attr IN ARRAY attrs LOOP
    val := nullif(btrim(obj -> 'explicit' ->> attr), '');
    IF val IS NOT NULL THEN
      result := result || jsonb_build_object(attr, jsonb_build_object('value', val, 'source', 'explicit'));
      decided := decided + 1;
      CONTINUE;
    END IF;
    CONTINUE WHEN tags IS NULL;
    tag_keys := CASE attr
      WHEN 'businessUnit' THEN ARRAY['business_unit', 'business-unit', 'businessunit', 'bu']
      WHEN 'project' THEN ARRAY['project']
      WHEN 'environment' THEN ARRAY['environment', 'env']
      ELSE ARRAY['cost_center', 'cost-center', 'costcenter'] END;
    FOREACH key IN ARRAY tag_keys LOOP
      IF tags ? key THEN
        result := result || jsonb_build_object(attr,
          jsonb_build_object('value', tags -> key ->> 1, 'source', 'tag', 'tagKey', tags -> key ->> 0));
        decided := decided + 1;
        EXIT;
      END IF;
    END LOOP;
  END LOOP;

  IF decided = 4 OR rules IS NULL OR jsonb_typeof(rules) <> 'array' OR jsonb_array_length(rules) = 0 THEN
    RETURN result;
  END IF;
  FOR rule IN SELECT value FROM jsonb_array_elements(rules) LOOP
    m := coalesce(rule -> 'match', '{}');
    CONTINUE WHEN m ? 'provider' AND lower(obj ->> 'provider') IS DISTINCT FROM lower(m ->> 'provider');
    CONTINUE WHEN m ? 'connectionId' AND (obj ->> 'connectionId') IS DISTINCT FROM (m ->> 'connectionId');
    CONTINUE WHEN m ? 'service' AND lower(obj ->> 'service') IS DISTINCT FROM lower(m ->> 'service');
    IF m ? 'project' THEN
      IF projects IS NULL THEN
        projects := ARRAY(SELECT lower(p) FROM jsonb_array_elements_text(coalesce(obj -> 'projects', '[]')) AS p);
      END IF;
      CONTINUE WHEN NOT lower(m ->> 'project') = ANY (projects);
    END IF;
    CONTINUE WHEN m ? 'tag' AND (
      (obj -> 'tags' ->> (m -> 'tag' ->> 'key')) IS NULL
      OR ((m -> 'tag') ? 'value' AND (obj -> 'tags' ->> (m -> 'tag' ->> 'key')) IS DISTINCT FROM (m -> 'tag' ->> 'value')));
    CONTINUE WHEN rule ? 'nameRegex' AND NOT coalesce(obj ->> 'name', '') ~ (rule ->> 'nameRegex');
    FOREACH attr IN ARRAY attrs LOOP
      IF NOT result ? attr AND nullif(rule -> 'assign' ->> attr, '') IS NOT NULL THEN
        result := result || jsonb_build_object(attr,
          jsonb_build_object('value', rule -> 'assign' ->> attr, 'source', 'rule', 'ruleId', rule ->> 'id'));
        decided := decided + 1;
      END IF;
    END LOOP;
    split_dim := rule -> 'split' ->> 'dimension';
    IF split_dim IS NOT NULL AND NOT result ? split_dim THEN
      result := result || jsonb_build_object(split_dim, jsonb_build_object('source', 'split', 'ruleId', rule ->> 'id',
        'mode', rule -> 'split' ->> 'mode', 'targets', rule -> 'split' -> 'targets'));
      decided := decided + 1;
    END IF;
    EXIT WHEN decided = 4;
  END LOOP;
  RETURN result;
END
$$;

-- Resources carry the result: the columns are what the `costs` query groups by (query/dimensions.ts),
-- `allocation` says where each value came from.
ALTER TABLE resources ADD COLUMN allocation jsonb NOT NULL DEFAULT '{}';

-- A resource's cost object. A non-empty attribute column that this machinery did not fill (or that
-- differs from what it filled) was set explicitly and wins over tags and rules.
CREATE FUNCTION infrazen_resource_allocation_input(r resources) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'provider', r.provider,
    'connectionId', r.connection_id,
    'service', r.service_name,
    'name', r.name,
    'projects', to_jsonb(array_remove(ARRAY[r.specs ->> 'folderId', r.specs ->> 'folderName',
      r.specs ->> 'projectId', r.specs ->> 'projectName'], NULL)),
    'tags', r.tags,
    'explicit', jsonb_strip_nulls(jsonb_build_object(
      'businessUnit', CASE WHEN r.allocation -> 'businessUnit' ->> 'source' IN ('tag', 'rule')
        AND r.allocation -> 'businessUnit' ->> 'value' = r.business_unit THEN NULL ELSE r.business_unit END,
      'project', CASE WHEN r.allocation -> 'project' ->> 'source' IN ('tag', 'rule')
        AND r.allocation -> 'project' ->> 'value' = r.project THEN NULL ELSE r.project END,
      'environment', CASE WHEN r.allocation -> 'environment' ->> 'source' IN ('tag', 'rule')
        AND r.allocation -> 'environment' ->> 'value' = r.environment THEN NULL ELSE r.environment END,
      'costCenter', CASE WHEN r.allocation -> 'costCenter' ->> 'source' IN ('tag', 'rule')
        AND r.allocation -> 'costCenter' ->> 'value' = r.cost_center THEN NULL ELSE r.cost_center END)))
$$;

-- The tenant's enabled rules in evaluation order (priority, then age).
CREATE FUNCTION infrazen_allocation_rules(tenant uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', id, 'match', match, 'nameRegex', name_regex,
    'assign', assign, 'split', split)) ORDER BY priority, created_at, id), '[]')
  FROM allocation_rules WHERE tenant_id = tenant AND enabled
$$;

-- Writes the outcome of the given resources (ids) with their tenants' rules where it changed; returns how
-- many changed. (Joined to the ids, not `= ANY (ids)`, which compares every row with every id; the rules
-- and outcomes materialized, so each tenant's rules are read once and each resource evaluated once.)
CREATE FUNCTION infrazen_reallocate(ids uuid[]) RETURNS integer LANGUAGE sql AS $$
  WITH targets AS (SELECT DISTINCT u.id FROM unnest(ids) AS u(id)),
  rules AS MATERIALIZED (
    SELECT t.tenant_id, infrazen_allocation_rules(t.tenant_id) AS j
    FROM (SELECT DISTINCT r.tenant_id FROM resources r JOIN targets USING (id)) t
  ),
  x AS MATERIALIZED (
    SELECT r.id, infrazen_allocate(rules.j, infrazen_resource_allocation_input(r)) AS a
    FROM resources r JOIN targets USING (id) JOIN rules USING (tenant_id)
  ),
  changed AS (
    UPDATE resources r SET allocation = x.a, business_unit = x.a -> 'businessUnit' ->> 'value',
      project = x.a -> 'project' ->> 'value', environment = x.a -> 'environment' ->> 'value',
      cost_center = x.a -> 'costCenter' ->> 'value'
    FROM x WHERE r.id = x.id AND r.allocation IS DISTINCT FROM x.a
    RETURNING 1
  )
  SELECT count(*)::integer FROM changed
$$;

-- Existing resources: tags become allocation values now (there are no rules yet).
SELECT infrazen_reallocate(ARRAY(SELECT id FROM resources));

-- Every write that changes what a resource is (the sync's upserts, FOCUS imports, an explicit value)
-- re-evaluates it, so `costs` grouped by business_unit follows the rules without a separate job.
-- Statement triggers: one evaluation pass per statement over the rows it inserted or changed, so a sync
-- re-upserting unchanged resources costs a comparison, not an evaluation. Statements that write
-- `allocation` themselves (this one's, rules re-applied by storage/repositories/allocation.ts) are not
-- evaluated again.
CREATE FUNCTION infrazen_resources_allocate_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  PERFORM infrazen_reallocate(ARRAY(SELECT id FROM inserted_rows));
  RETURN NULL;
END
$$;

CREATE FUNCTION infrazen_resources_allocate_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  PERFORM infrazen_reallocate(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.allocation IS NOT DISTINCT FROM o.allocation
      AND (n.provider, n.connection_id, n.name, n.service_name, n.specs, n.tags, n.business_unit, n.project,
        n.environment, n.cost_center)
      IS DISTINCT FROM (o.provider, o.connection_id, o.name, o.service_name, o.specs, o.tags, o.business_unit,
        o.project, o.environment, o.cost_center)));
  RETURN NULL;
END
$$;

CREATE TRIGGER resources_allocate_inserted AFTER INSERT ON resources
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION infrazen_resources_allocate_inserted();
CREATE TRIGGER resources_allocate_updated AFTER UPDATE ON resources
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION infrazen_resources_allocate_updated();
