import React, { useEffect, useRef, useState } from 'react';
import { dateTime, LoadingState, PanelData } from '@grafana/data';
import { PanelRenderer } from '@grafana/runtime';
import { Text } from '@grafana/ui';
import type { InfraZenQuery } from '@infrazen/contract';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { framesOf, toDataFrame } from '../../api/frames';
import { t } from '../../i18n';
import { Loading } from './States';
import { useLoad } from '../../utils/useLoad';

interface Props {
  title: string;
  query: InfraZenQuery;
  from: Date;
  to: Date;
  height?: number;
  /** Grafana panel type; the time series panel by default. */
  pluginId?: string;
  testId?: string;
}

const FALLBACK_WIDTH = 560;

/** Width of the element, following resizes (the drawer can be dragged wider). */
function useWidth(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * One collector query drawn by a real Grafana panel (PanelRenderer), so charts look and behave like the
 * dashboards in both themes. The frames come from POST /query (the datasource's wire format).
 */
export function QueryChart({ title, query, from, to, height = 200, pluginId = 'timeseries', testId }: Props) {
  const [ref, width] = useWidth();
  const key = JSON.stringify([query, from.toISOString(), to.toISOString()]);
  const result = useLoad(async () => {
    const response = await api.query({ from: from.toISOString(), to: to.toISOString(), queries: [query] });
    return framesOf(response, query.refId).map(toDataFrame);
  }, [key]);

  let body: React.ReactNode;
  if (result.error) {
    body = <Text color="error">{t('resource.chartFailed', { detail: describeError(result.error).message })}</Text>;
  } else if (!result.value) {
    body = <Loading />;
  } else if (result.value.every((f) => f.length === 0)) {
    body = <Text color="secondary">{t('resource.noData')}</Text>;
  } else {
    const data: PanelData = {
      state: LoadingState.Done,
      series: result.value,
      timeRange: { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } },
    };
    body = (
      <PanelRenderer title={title} pluginId={pluginId} width={width || FALLBACK_WIDTH} height={height} data={data} />
    );
  }

  return (
    <section ref={ref} data-testid={testId}>
      <Text element="h5">{title}</Text>
      {body}
    </section>
  );
}
