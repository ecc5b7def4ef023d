/**
 * A panel of query results: the frames go through applyFieldOverrides (display processors, as Grafana's
 * query runner does) into @grafana/ui's TimeSeries, or Table when no frame has a time field.
 */
import { applyFieldOverrides, FieldColorModeId, FieldType, LoadingState, PanelData } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { PanelChrome, Table, TimeSeries, useTheme2 } from '@grafana/ui';
import { useMemo } from 'react';

const WIDTH = 1100;
const HEIGHT = 420;

export function ResultPanel({ data }: { data: PanelData }) {
  const theme = useTheme2();
  const frames = useMemo(
    () =>
      applyFieldOverrides({
        data: data.series,
        // The time series panel's default: one palette colour per series.
        fieldConfig: { defaults: { color: { mode: FieldColorModeId.PaletteClassic } }, overrides: [] },
        replaceVariables: (value) => value,
        theme,
        timeZone: 'browser',
      }),
    [data.series, theme]
  );
  const timeSeries = frames.some((f) => f.fields.some((field) => field.type === FieldType.time));
  const values = frames.reduce(
    (n, f) => n + f.fields.filter((field) => field.type === FieldType.number).length * f.length,
    0
  );
  const error = data.error?.message ?? data.errors?.[0]?.message;

  return (
    <div
      data-testid="host-panel"
      data-state={data.state}
      data-frames={frames.length}
      data-values={values}
      data-kind={timeSeries ? 'timeseries' : 'table'}
    >
      <PanelChrome title="Query result" width={WIDTH} height={HEIGHT} loadingState={data.state} statusMessage={error}>
        {(innerWidth, innerHeight) => {
          if (data.state === LoadingState.Loading && frames.length === 0) {
            return null;
          }
          if (frames.length === 0) {
            return <div data-testid="host-panel-empty">{error ?? 'No data'}</div>;
          }
          return timeSeries ? (
            <TimeSeries
              frames={frames}
              timeRange={data.timeRange}
              timeZone="browser"
              width={innerWidth}
              height={innerHeight}
              legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
            />
          ) : (
            <Table data={frames[0]!} width={innerWidth} height={innerHeight} />
          );
        }}
      </PanelChrome>
    </div>
  );
}
