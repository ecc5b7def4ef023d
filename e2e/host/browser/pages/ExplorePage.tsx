/**
 * `/explore?ds=<uid>&from=now-30d&to=now`: the datasource's QueryEditor, a query run the way Grafana's
 * query runner builds the request, and the result drawn as a time series panel (a table when the
 * frames have no time field).
 */
import { CoreApp, DataQuery, DataQueryRequest, DataSourceApi, LoadingState, PanelData, rangeUtil } from '@grafana/data';
import { getDataSourceSrv, getTemplateSrv, toDataQueryError } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { from, Subscription } from 'rxjs';

import { HostTemplateSrv } from '../template-srv.js';
import { ResultPanel } from './ResultPanel.js';

const MAX_DATA_POINTS = 1000;

export function ExplorePage() {
  const [params] = useSearchParams();
  const uid = params.get('ds') ?? undefined;
  const rangeFrom = params.get('from') ?? 'now-30d';
  const rangeTo = params.get('to') ?? 'now';
  const range = useMemo(() => rangeUtil.convertRawToRange({ from: rangeFrom, to: rangeTo }), [rangeFrom, rangeTo]);
  const [ds, setDs] = useState<DataSourceApi>();
  const [query, setQuery] = useState<DataQuery>();
  const [data, setData] = useState<PanelData>();
  const [error, setError] = useState<string>();
  const running = useRef<Subscription>();
  // Editors often call onChange and onRunQuery in one handler: run what was just set, not the last render's.
  const latest = useRef<DataQuery>();
  const onChange = useCallback((q: DataQuery) => {
    latest.current = q;
    setQuery(q);
  }, []);

  useEffect(() => {
    getDataSourceSrv()
      .get(uid)
      .then((instance) => {
        setDs(instance);
        const defaults = instance.getDefaultQuery?.(CoreApp.Explore) ?? {};
        onChange({ refId: 'A', ...defaults, datasource: { type: instance.type, uid: instance.uid } });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => running.current?.unsubscribe();
  }, [uid, onChange]);

  const run = useCallback(
    (target: DataQuery | undefined) => {
      if (!ds || !target) {
        return;
      }
      running.current?.unsubscribe();
      (getTemplateSrv() as HostTemplateSrv).updateTimeRange(range);
      const { interval, intervalMs } = rangeUtil.calculateInterval(range, MAX_DATA_POINTS);
      const request: DataQueryRequest = {
        app: CoreApp.Explore,
        requestId: 'explore_A',
        interval,
        intervalMs,
        maxDataPoints: MAX_DATA_POINTS,
        range,
        rangeRaw: range.raw,
        scopedVars: {
          __interval: { text: interval, value: interval },
          __interval_ms: { text: String(intervalMs), value: intervalMs },
        },
        targets: [target],
        timezone: 'browser',
        startTime: Date.now(),
      };
      setData({ state: LoadingState.Loading, series: [], timeRange: range });
      running.current = from(ds.query(request)).subscribe({
        next: (response) =>
          setData({
            state: response.state ?? LoadingState.Done,
            series: response.data,
            errors: response.errors,
            error: response.error ?? response.errors?.[0],
            timeRange: range,
          }),
        error: (e: unknown) =>
          setData({ state: LoadingState.Error, series: [], error: toDataQueryError(e as Error), timeRange: range }),
      });
    },
    [ds, range]
  );

  if (error) {
    return <Alert severity="error" title={error} />;
  }
  if (!ds || !query) {
    return <LoadingPlaceholder text="Loading data source…" />;
  }
  const QueryEditor = ds.components?.QueryEditor;
  return (
    <Stack direction="column" gap={2}>
      <ErrorBoundaryAlert>
        <div data-testid="host-query-editor">
          {QueryEditor && (
            <QueryEditor
              datasource={ds}
              query={query}
              onChange={onChange}
              onRunQuery={() => run(latest.current)}
              data={data}
              range={range}
              app={CoreApp.Explore}
              queries={[query]}
            />
          )}
        </div>
      </ErrorBoundaryAlert>
      <Stack gap={1}>
        <Button data-testid="host-run-query" icon="sync" onClick={() => run(latest.current)}>
          Run query
        </Button>
      </Stack>
      {data && <ResultPanel data={data} />}
    </Stack>
  );
}
