/**
 * The overview's charts: questions per Beijing day, stacked by intent; new and lost followers per day, side by side. Loaded with a dynamic import, so
 * ECharts (the largest part of the console) is fetched only when the overview is opened. Only the pieces
 * used are registered: core, bar chart, grid, tooltip, legend, canvas.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface AxisPoint {
  readonly axisValueLabel: string;
  readonly seriesName: string;
  readonly value: number;
}

/**
 * The tooltip's HTML, without ECharts' default colour markers: those are spans with style attributes,
 * which the console's CSP (no 'unsafe-inline') blocks.
 */
function tooltipHtml(points: readonly AxisPoint[]): string {
  const lines = points.filter((p) => p.value > 0).map((p) => `${escapeHtml(p.seriesName)}：${p.value}`);
  return [escapeHtml(points[0]?.axisValueLabel ?? ''), ...lines].join('<br>');
}

export interface TrendSeries {
  readonly days: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly number[]; readonly color?: string }[];
  /** Side by side instead of stacked (default: stacked). */
  readonly sideBySide?: boolean;
}

/** Draws into `el`; the returned function disposes of the chart (and its resize listener). */
export function drawTrend(el: HTMLElement, data: TrendSeries): () => void {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({
    tooltip: { trigger: 'axis', formatter: (p: unknown) => tooltipHtml(p as AxisPoint[]) },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 24 },
    xAxis: { type: 'category', data: [...data.days] },
    yAxis: { type: 'value', minInterval: 1 },
    series: data.series.map((s) => ({ name: s.name, type: 'bar', ...(data.sideBySide ? {} : { stack: 'total' }), ...(s.color ? { itemStyle: { color: s.color } } : {}), data: [...s.values] })),
  });
  const resize = () => chart.resize();
  addEventListener('resize', resize);
  return () => {
    removeEventListener('resize', resize);
    chart.dispose();
  };
}
