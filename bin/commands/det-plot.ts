import { probit, type ErrorRatePoint } from '../../lambdas/scoring/index.js';

/** Axis ticks of a DET plot, as error rates (fractions). */
const TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4];
const LOW = 0.0005;
const HIGH = 0.5;

/**
 * A DET curve as a stand-alone SVG: miss rate against false-alarm rate on normal-deviate (probit) axes from
 * 0.05 % to 50 %, with the equal-error line and the EER marked.
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
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.pFa).toFixed(1)},${y(p.pMiss).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif" font-size="11">
<style>.g{stroke:#ddd;stroke-width:1}.d{stroke:#999;stroke-dasharray:4 3}.c{fill:none;stroke:#1f5fbf;stroke-width:2}</style>
<rect width="${size}" height="${size}" fill="white"/>
<text x="${size / 2}" y="24" text-anchor="middle" font-size="14">${esc(title)}</text>
${grid}
<rect x="${margin}" y="${margin}" width="${span}" height="${span}" fill="none" stroke="#333"/>
<line x1="${x(LOW)}" y1="${y(LOW)}" x2="${x(HIGH)}" y2="${y(HIGH)}" class="d"/>
<clipPath id="plot"><rect x="${margin}" y="${margin}" width="${span}" height="${span}"/></clipPath>
<path d="${path}" class="c" clip-path="url(#plot)"/>
<circle cx="${x(eer).toFixed(1)}" cy="${y(eer).toFixed(1)}" r="4" fill="#c33"/>
<text x="${(x(eer) + 8).toFixed(1)}" y="${(y(eer) - 8).toFixed(1)}" fill="#c33">EER ${(eer * 100).toFixed(2)} %</text>
<text x="${size / 2}" y="${size - 16}" text-anchor="middle">false-alarm rate (%)</text>
<text x="16" y="${size / 2}" text-anchor="middle" transform="rotate(-90 16 ${size / 2})">miss rate (%)</text>
</svg>
`;
}
