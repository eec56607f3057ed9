import { describe, expect, it } from 'vitest';
import { detPlotSvg } from '../../../bin/commands/det-plot.js';
import { detCurve, equalErrorRate } from '../../../lambdas/scoring/index.js';

type Point = [number, number];

/** The vertices of the SVG path the curve is drawn with (`M x,y L x,y ...`). */
function curvePolyline(svg: string): Point[] {
  const d = /<path d="([^"]+)" class="c"/.exec(svg)?.[1];
  if (d === undefined) throw new Error('no curve path in the SVG');
  return d.split(' ').map((step) => step.slice(1).split(',').map(Number) as Point);
}

function marker(svg: string): Point {
  const m = /<circle cx="([^"]+)" cy="([^"]+)"/.exec(svg);
  if (m === null) throw new Error('no EER marker in the SVG');
  return [Number(m[1]), Number(m[2])];
}

/** Distance from `p` to the segment a–b. */
function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

const distanceToPolyline = (p: Point, line: Point[]): number =>
  Math.min(...line.slice(1).map((b, i) => distanceToSegment(p, line[i]!, b)));

describe('detPlotSvg', () => {
  // The worked example of test/unit/scoring/metrics.test.ts: the hull EER (1/6) lies off the staircase, whose crossing is at 0.25.
  const trials = { targets: [0.9, 0.8, 0.7, 0.3], nontargets: [0.6, 0.4, 0.2, 0.1] };

  it('puts the EER marker on the plotted curve, where it crosses the equal-error line', () => {
    const svg = detPlotSvg(detCurve(trials), equalErrorRate(trials), 'worked example');
    const [cx, cy] = marker(svg);
    expect(distanceToPolyline([cx, cy], curvePolyline(svg))).toBeLessThan(0.01);
    expect(cx + cy).toBeCloseTo(480, 1); // pFa = pMiss on the probit axes (the plot is 480 wide and high)
  });

  it('labels the marker with the EER it is given', () => {
    const svg = detPlotSvg(detCurve(trials), equalErrorRate(trials), 'worked example');
    expect(svg).toMatch(/>EER 16\.67 %</);
  });

  it('keeps the marker on the curve for a long, smooth curve too', () => {
    const targets = Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 0.3 + 0.6);
    const nontargets = Array.from({ length: 900 }, (_, i) => Math.sin(i * 78.233) * 0.3 + 0.2);
    const svg = detPlotSvg(detCurve({ targets, nontargets }), equalErrorRate({ targets, nontargets }), 'many trials');
    expect(distanceToPolyline(marker(svg), curvePolyline(svg))).toBeLessThan(0.01);
  });
});
