// Tiny inline-SVG charts for the self-contained HTML report: line charts (series of x/y points) and grouped bars. No
// external assets, no scripts: the report opens from a file anywhere.

export type Series = { name: string; points: Array<[number, number]> };

const WIDTH = 640;
const HEIGHT = 300;
const PAD = { left: 64, right: 150, top: 20, bottom: 44 };
const COLOURS = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#9c755f'];

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const finite = (n: number) => Number.isFinite(n);

function niceMax(value: number): number {
  if (!finite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= value) ?? 10) * magnitude;
}

function axes(xMax: number, yMax: number, xLabel: string, yLabel: string): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const parts = [`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`];
  for (const t of ticks) {
    const y = PAD.top + plotH * (1 - t);
    const x = PAD.left + plotW * t;
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    parts.push(
      `<text x="${PAD.left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${+(yMax * t).toPrecision(3)}</text>`,
    );
    if (xMax > 0)
      parts.push(
        `<text x="${x}" y="${PAD.top + plotH + 16}" font-size="11" text-anchor="middle">${+(xMax * t).toPrecision(3)}</text>`,
      );
  }
  parts.push(
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" font-size="12" text-anchor="middle">${esc(xLabel)}</text>`,
  );
  parts.push(
    `<text x="14" y="${PAD.top + plotH / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${PAD.top + plotH / 2})">${esc(yLabel)}</text>`,
  );
  return parts.join('');
}

function legend(names: string[]): string {
  return names
    .map((name, i) => {
      const y = PAD.top + 10 + i * 18;
      const x = WIDTH - PAD.right + 12;
      return `<rect x="${x}" y="${y - 9}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/><text x="${x + 18}" y="${y + 1}" font-size="12">${esc(name)}</text>`;
    })
    .join('');
}

export function lineChart(
  title: string,
  series: Series[],
  xLabel: string,
  yLabel: string,
  options: { diagonal?: boolean } = {},
): string {
  const all = series.flatMap((s) => s.points).filter(([x, y]) => finite(x) && finite(y));
  const xMax = niceMax(Math.max(0, ...all.map(([x]) => x)));
  const yMax = niceMax(Math.max(0, ...all.map(([, y]) => y), options.diagonal ? xMax : 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const at = ([x, y]: [number, number]) =>
    `${(PAD.left + (x / xMax) * plotW).toFixed(1)},${(PAD.top + plotH * (1 - y / yMax)).toFixed(1)}`;
  const lines = series.map((s, i) => {
    const pts = s.points.filter(([x, y]) => finite(x) && finite(y));
    const colour = COLOURS[i % COLOURS.length];
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(at).join(' ')}"/>${pts.length <= 40 ? pts.map((p) => `<circle cx="${at(p).split(',')[0]}" cy="${at(p).split(',')[1]}" r="3" fill="${colour}"/>`).join('') : ''}`;
  });
  const diagonal = options.diagonal
    ? `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${at([Math.min(xMax, yMax), Math.min(xMax, yMax)]).split(',')[0]}" y2="${at([Math.min(xMax, yMax), Math.min(xMax, yMax)]).split(',')[1]}" stroke="#bbb" stroke-dasharray="4 4"/>`
    : '';
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${axes(xMax, yMax, xLabel, yLabel)}${diagonal}${lines.join('')}${legend(series.map((s) => s.name))}</svg></figure>`;
}

/** Groups (e.g. lanes) of bars (e.g. p50/p90/p99). */
export function barChart(
  title: string,
  groups: Array<{ name: string; values: number[] }>,
  barNames: string[],
  yLabel: string,
): string {
  const yMax = niceMax(Math.max(0, ...groups.flatMap((g) => g.values.filter(finite))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = (groupW * 0.8) / Math.max(1, barNames.length);
  const bars = groups.flatMap((g, gi) => [
    ...g.values.map((v, bi) => {
      const h = finite(v) ? (v / yMax) * plotH : 0;
      const x = PAD.left + gi * groupW + groupW * 0.1 + bi * barW;
      return `<rect x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[bi % COLOURS.length]}"><title>${esc(`${g.name} ${barNames[bi]}: ${v.toFixed(1)}`)}</title></rect>`;
    }),
    `<text x="${(PAD.left + gi * groupW + groupW / 2).toFixed(1)}" y="${PAD.top + plotH + 16}" font-size="11" text-anchor="middle">${esc(g.name)}</text>`,
  ]);
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${axes(0, yMax, '', yLabel)}${bars.join('')}${legend(barNames)}</svg></figure>`;
}
