import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard and the agent page draw: bars, lines, a pie, on canvas.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** What was clicked: the series and the index of the item in its data. */
export interface ChartClick {
  seriesIndex: number;
  seriesId: string | undefined;
  dataIndex: number;
  name: string;
}

/**
 * Tooltips drawn on the canvas: ECharts' HTML tooltips carry style="" attributes, which the
 * console's CSP refuses. Charts use this instead of their own tooltip.
 */
export const tooltip = (trigger: 'item' | 'axis' = 'axis'): TooltipComponentOption => ({ trigger, renderMode: 'richText', confine: true });

/**
 * One ECharts canvas: created on mount, given each new option whole (notMerge), resized with
 * its box (the grid's columns change with the window), disposed on unmount. `onClick` gets the
 * item clicked (drill-downs).
 */
export function Chart(props: { option: ChartOption; onClick?: ((c: ChartClick) => void) | undefined; height?: number; testId?: string; label?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => {
      const e = p as { seriesIndex?: number; seriesId?: string; dataIndex?: number; name?: string };
      if (e.seriesIndex === undefined || e.dataIndex === undefined) return;
      onClick.current?.({ seriesIndex: e.seriesIndex, seriesId: e.seriesId, dataIndex: e.dataIndex, name: e.name ?? '' });
    });
    let frame = 0;
    // Resized on the next frame: resizing inside the observer's callback can loop.
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => c.resize());
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  return <div ref={box} style={{ height: props.height ?? 280, width: '100%' }} data-testid={props.testId} role="img" aria-label={props.label} />;
}
