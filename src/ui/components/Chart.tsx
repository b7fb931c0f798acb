// A small chart drawn by uPlot (loaded with the first chart, never with the first screen): stacked bars per
// group, or a line over months. The numbers are always in the table beside it too: the chart is a picture
// of them (role="img" with its title), not the only way to read them.
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';

export type ChartSpec =
  | {
      kind: 'stacked';
      groups: readonly string[];
      series: readonly { label: string; values: readonly number[]; color: string }[];
    }
  | {
      kind: 'line';
      points: readonly string[];
      values: readonly (number | null)[];
      color: string;
      range: [number, number];
    };

const HEIGHT = 220;

function options(spec: ChartSpec, width: number, bars: uPlot.Series.PathBuilder | undefined): uPlot.Options {
  const labels = spec.kind === 'stacked' ? spec.groups : spec.points;
  const x: uPlot.Axis = {
    splits: () => labels.map((_, i) => i),
    values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
  };
  const common = {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, auto: false, range: [-0.5, labels.length - 0.5] as uPlot.Range.MinMax } },
    axes: [x, {}],
  };
  if (spec.kind === 'line')
    return {
      ...common,
      scales: { ...common.scales, y: { range: spec.range } },
      series: [{}, { label: 'y', stroke: spec.color, width: 2, points: { show: true, size: 8 } }],
    };
  // Stacked: each series drawn from zero to its running total, the tallest first, so each shows its share.
  return {
    ...common,
    series: [
      {},
      ...spec.series
        .map((s) => ({
          label: s.label,
          fill: s.color,
          stroke: s.color,
          paths: bars,
          points: { show: false },
        }))
        .reverse(),
    ],
  };
}

/**
 * The aligned data uPlot draws. It needs two x values at least: one more, empty, lies beyond the x range
 * (so a single branch or month is drawn like any other).
 */
function data(spec: ChartSpec): uPlot.AlignedData {
  const xs = [...(spec.kind === 'line' ? spec.points : spec.groups).map((_, i) => i)];
  const beyond = xs.length;
  if (spec.kind === 'line')
    return [
      [...xs, beyond],
      [...spec.values, null],
    ];
  let running = spec.groups.map(() => 0);
  const totals = spec.series.map((s) => {
    running = running.map((sum, i) => sum + (s.values[i] ?? 0));
    return [...running, null];
  });
  return [[...xs, beyond], ...totals.reverse()];
}

export function Chart({ spec, title }: { spec: ChartSpec; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | undefined;
    let gone = false;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      const element = box.current;
      if (gone || element === null) return;
      const bars = UPlot.paths.bars?.({ size: [0.6, 64] });
      plot = new UPlot(options(spec, Math.max(240, element.clientWidth), bars), data(spec), element);
    });
    return () => {
      gone = true;
      plot?.destroy();
    };
  }, [spec]);
  return (
    <figure class="chart">
      <div ref={box} dir="ltr" role="img" aria-label={title} data-testid="chart" />
      {spec.kind === 'stacked' && (
        <figcaption>
          {spec.series.map((s) => (
            <span key={s.label} class="chart-key">
              <span class="chart-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
