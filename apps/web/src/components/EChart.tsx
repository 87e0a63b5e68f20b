/**
 * The one chart component of the app: Apache ECharts with the canvas renderer (fast for streaming
 * loss curves). Only the chart types the lab draws are registered, to keep the bundle small.
 */
import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  LineChart,
  BarChart,
  ScatterChart,
  ParallelChart,
  HeatmapChart,
  VisualMapComponent,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  ParallelComponent,
  TitleComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

/** An ECharts option object. */
export type ChartOption = EChartsCoreOption;

interface EChartProps {
  readonly option: ChartOption;
  readonly height?: number;
  readonly testId: string;
  /** Accessible description of what the chart shows. */
  readonly label: string;
}

/** Renders `option`; updates in place (no re-creation) so streaming data stays smooth. */
export const EChart = ({ option, height = 300, testId, label }: EChartProps) => {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);

  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  return (
    <div ref={element} data-testid={testId} role="img" aria-label={label} style={{ width: '100%', height }} />
  );
};
