-- The read-only database role Grafana's alerting datasource (uid infrazen-tsdb) logs in as, for one
-- Grafana organization: it sees the `grafana` views of that org's tenant and nothing else (migration
-- 013, grafana.ensure_reader). Run by an administrator once the collector has migrated the database:
--
--   psql -v ON_ERROR_STOP=1 -v reader=infrazen_grafana -v password='…' -v org=1 -f grafana-reader.sql
--
-- Again with another role name and org id for every other Grafana organization. Running it again
-- updates the password and the mapping.
SELECT grafana.ensure_reader(:'reader', :'org'::integer, :'password');
