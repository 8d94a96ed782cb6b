import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Traffic } from './data.ts';

/**
 * The migration experiment as a static SVG (no script, opens offline): iperf3 throughput over
 * time and the fast ping's round trips, with the migration window shaded and the longest outage
 * marked.
 */
export async function trafficChart(t: Traffic): Promise<string> {
  const bands = [
    { start: t.window.start, end: t.window.end, what: 'migration' },
    ...(t.outage ? [{ start: t.outage.start, end: Math.max(t.outage.end, t.outage.start + 0.01), what: 'longest outage' }] : []),
  ];
  const shading = {
    data: { values: bands },
    mark: { type: 'rect' as const, opacity: 0.25 },
    encoding: {
      x: { field: 'start', type: 'quantitative' as const },
      x2: { field: 'end' },
      color: { field: 'what', type: 'nominal' as const, scale: { domain: ['migration', 'longest outage'], range: ['#4c78a8', '#e45756'] }, title: null },
    },
  };
  const panel = (values: { x: number; value: number }[], title: string, mark: 'line' | 'point') => ({
    width: 760,
    height: 180,
    layer: [
      shading,
      {
        data: { values: values.filter((v) => Number.isFinite(v.value)) },
        mark: mark === 'line' ? { type: 'line' as const, interpolate: 'step-after' as const, color: '#222' } : { type: 'point' as const, size: 6, filled: true, color: '#222' },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, title: 'seconds since the migration started' },
          y: { field: 'value', type: 'quantitative' as const, title },
        },
      },
    ],
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: 'sans-serif', view: { stroke: '#ccc' } },
    vconcat: [
      ...(t.throughput.length > 0 ? [panel(t.throughput, 'iperf3 throughput (Gbit/s)', 'line')] : []),
      ...(t.rtt.length > 0 ? [panel(t.rtt, 'ping round trip (ms)', 'point')] : []),
    ],
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
