/**
 * Charts as SVG from Apache ECharts' server-side renderer (pure JavaScript, no canvas or browser). The
 * PDF embeds the SVG as vectors (svg-to-pdfkit); PNG files are the same SVG rasterized by resvg (a
 * Rust renderer shipped as a prebuilt npm package). One chart definition, two outputs that match.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { Language } from './definition.js';
import { FONT_FAMILY, FONT_REGULAR, textWidth } from './fonts.js';
import { formatMoney, formatMoneyShort } from './format.js';
import type { ChartSpec } from './model.js';

export const PALETTE = ['#3274d9', '#a0a7b4', '#ff9830', '#73bf69', '#f2495c', '#8f3bb8', '#fade2a', '#5794f2'];

// Text layout needs glyph widths; the SSR renderer would otherwise estimate them.
echarts.setPlatformAPI({
  measureText(text: string, font?: string) {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
    return { width: textWidth(text, size, /bold/.test(font ?? '')) };
  },
});

const LABEL_MAX = 32;
const truncate = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

export interface ChartOptions {
  width: number;
  height: number;
  currency: string;
  language: Language;
}

function option(spec: ChartSpec, o: ChartOptions): echarts.EChartsOption {
  const axisMoney = { formatter: (v: number) => formatMoneyShort(v, o.currency, o.language) };
  const text = { fontFamily: FONT_FAMILY, fontSize: 10, color: '#464c54' };
  const legend = spec.series.length > 1;
  const horizontal = spec.kind === 'hbar';
  // Long category names need room on the left of horizontal bars.
  const labelWidth = horizontal
    ? Math.min(200, Math.max(...spec.categories.map((c) => textWidth(truncate(c), 10)), 40))
    : 0;
  const category = {
    type: 'category' as const,
    data: spec.categories.map(truncate),
    axisLabel: { ...text, interval: horizontal ? 0 : ('auto' as const), hideOverlap: true },
    axisTick: { alignWithLabel: true },
    ...(horizontal ? { inverse: true } : {}),
  };
  const value = {
    type: 'value' as const,
    axisLabel: { ...text, ...axisMoney, hideOverlap: true },
    splitLine: { lineStyle: { color: '#e4e6ea' } },
  };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: text,
    legend: legend ? { top: 0, left: 'center', textStyle: text, itemWidth: 12, itemHeight: 8 } : undefined,
    grid: { left: 8 + labelWidth, right: 16, top: legend ? 28 : 12, bottom: 8, containLabel: !horizontal },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, axisLabel: { ...category.axisLabel, width: labelWidth } } : value,
    series: spec.series.map((s) => ({
      name: s.name,
      type: spec.kind === 'line' ? 'line' : 'bar',
      data: s.values,
      // No value labels: svg-to-pdfkit ignores paint-order, so ECharts' white label halo would cover the
      // text in the PDF; the tables carry the exact values.
      label: { show: false },
      ...(spec.kind === 'line' ? { showSymbol: false, areaStyle: { opacity: 0.15 }, smooth: false } : {}),
      ...(spec.kind !== 'line' ? { barMaxWidth: 28 } : {}),
      tooltip: { valueFormatter: (v: unknown) => formatMoney(Number(v), o.currency, o.language) },
    })),
  };
}

export function chartSvg(spec: ChartSpec, o: ChartOptions): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: o.width, height: o.height });
  try {
    chart.setOption(option(spec, o));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG at `scale` × its size (2 = crisp on screens and in slides). */
export function chartPng(spec: ChartSpec, o: ChartOptions, scale = 2): Buffer {
  const svg = chartSvg(spec, o);
  const png = new Resvg(svg, {
    font: { fontFiles: [FONT_REGULAR], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'width', value: Math.round(o.width * scale) },
    background: '#ffffff',
  }).render();
  return png.asPng();
}
