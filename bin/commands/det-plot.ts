import { probit, type ErrorRatePoint } from '../../lambdas/scoring/index.js';

/** Axis ticks of a DET plot, as error rates (fractions). */
const TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4];
const LOW = 0.0005;
const HIGH = 0.5;

type Point = readonly [x: number, y: number];

/** Plot coordinates are written with one decimal; the marker is computed on the same rounded polyline. */
const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Where a polyline running from below-right of the line x + y = `sum` to above-left of it (as a DET curve does
 * from "accept all" to "reject all") first meets that line, interpolated on the segment that crosses it.
 */
function crossingOfAntidiagonal(polyline: readonly Point[], sum: number): Point {
  const side = ([x, y]: Point): number => x + y - sum;
  for (let i = 1; i < polyline.length; i++) {
    const a = polyline[i - 1]!;
    const b = polyline[i]!;
    if (side(a) > 0 && side(b) <= 0) {
      const t = side(a) / (side(a) - side(b));
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
  }
  return polyline[0]!;
}

/**
 * A DET curve as a stand-alone SVG: miss rate against false-alarm rate on normal-deviate (probit) axes from
 * 0.05 % to 50 %, with the equal-error line and the EER marked. The marker sits where the plotted curve crosses
 * the equal-error line (the operating point whose two error rates are equal); its label gives `eer`, the ROC-hull
 * EER that eval reports, which is never above that crossing's rate and close to it on large trial lists.
 */
export function detPlotSvg(points: readonly ErrorRatePoint[], eer: number, title: string): string {
  const size = 480;
  const margin = 60;
  const span = size - 2 * margin;
  const lo = probit(LOW);
  const hi = probit(HIGH);
  const clamp = (p: number): number => Math.min(Math.max(p, LOW), HIGH);
  const x = (pFa: number): number => margin + ((probit(clamp(pFa)) - lo) / (hi - lo)) * span;
  const y = (pMiss: number): number => size - margin - ((probit(clamp(pMiss)) - lo) / (hi - lo)) * span;
  const label = (p: number): string => `${+(p * 100).toPrecision(2)}`;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  const grid = TICKS.map((t) =>
    `<line x1="${x(t).toFixed(1)}" y1="${margin}" x2="${x(t).toFixed(1)}" y2="${size - margin}" class="g"/>` +
    `<line x1="${margin}" y1="${y(t).toFixed(1)}" x2="${size - margin}" y2="${y(t).toFixed(1)}" class="g"/>` +
    `<text x="${x(t).toFixed(1)}" y="${size - margin + 16}" text-anchor="middle">${label(t)}</text>` +
    `<text x="${margin - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${label(t)}</text>`,
  ).join('\n');
  const polyline = points.map((p): Point => [round1(x(p.pFa)), round1(y(p.pMiss))]);
  const path = polyline.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  // On both probit axes the same rate maps to x − margin = size − margin − y, so pFa = pMiss is the line x + y = size.
  const [ex, ey] = crossingOfAntidiagonal(polyline, size);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif" font-size="11">
<style>.g{stroke:#ddd;stroke-width:1}.d{stroke:#999;stroke-dasharray:4 3}.c{fill:none;stroke:#1f5fbf;stroke-width:2}</style>
<rect width="${size}" height="${size}" fill="white"/>
<text x="${size / 2}" y="24" text-anchor="middle" font-size="14">${esc(title)}</text>
${grid}
<rect x="${margin}" y="${margin}" width="${span}" height="${span}" fill="none" stroke="#333"/>
<line x1="${x(LOW)}" y1="${y(LOW)}" x2="${x(HIGH)}" y2="${y(HIGH)}" class="d"/>
<clipPath id="plot"><rect x="${margin}" y="${margin}" width="${span}" height="${span}"/></clipPath>
<path d="${path}" class="c" clip-path="url(#plot)"/>
<circle cx="${ex.toFixed(2)}" cy="${ey.toFixed(2)}" r="4" fill="#c33"/>
<text x="${(ex + 8).toFixed(1)}" y="${(ey - 8).toFixed(1)}" fill="#c33">EER ${(eer * 100).toFixed(2)} %</text>
<text x="${size / 2}" y="${size - 16}" text-anchor="middle">false-alarm rate (%)</text>
<text x="16" y="${size / 2}" text-anchor="middle" transform="rotate(-90 16 ${size / 2})">miss rate (%)</text>
</svg>
`;
}
