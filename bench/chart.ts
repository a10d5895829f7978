/** Wall time against N, provider, baseline and floor, one panel per operation: a plain SVG, no dependency. */
import { OPS } from "./measure";
import type { ScaleRow } from "./results";

const PANEL_W = 300;
const PANEL_H = 230;
const COLS = 3;
const PAD = { left: 46, right: 14, top: 30, bottom: 36 };
const COLORS = { provider: "#c2410c", baseline: "#1d4ed8", floor: "#6b7280" };

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A round step for about four grid lines up to `max`. */
function step(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
}

function panel(rows: ScaleRow[], op: string, x0: number, y0: number): string {
  const pts = rows.filter((r) => r.op === op).sort((a, b) => a.n - b.n);
  const out: string[] = [`<g transform="translate(${x0},${y0})">`];
  out.push(`<text x="${PANEL_W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(op)}</text>`);
  if (pts.length === 0) return out.concat("</g>").join("");
  const w = PANEL_W - PAD.left - PAD.right;
  const h = PANEL_H - PAD.top - PAD.bottom;
  const maxN = Math.max(...pts.map((p) => p.n));
  const all = pts.flatMap((p) => [p.seconds, p.baselineSeconds, p.floorSeconds ?? 0]);
  const ystep = step(Math.max(...all, 0.1));
  const maxY = Math.ceil(Math.max(...all) / ystep) * ystep || ystep;
  const X = (n: number): number => PAD.left + (n / maxN) * w;
  const Y = (s: number): number => PAD.top + h - (s / maxY) * h;
  for (let v = 0; v <= maxY + 1e-9; v += ystep) {
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${PAD.left - 6}" y="${Y(v) + 4}" text-anchor="end" font-size="10">${+v.toFixed(2)}</text>`,
    );
  }
  out.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${Y(0)}" y2="${Y(0)}" stroke="#6b7280"/>`);
  for (const p of pts)
    out.push(`<text x="${X(p.n)}" y="${PAD.top + h + 14}" text-anchor="middle" font-size="10">${p.n}</text>`);
  out.push(
    `<text x="${PAD.left + w / 2}" y="${PANEL_H - 6}" text-anchor="middle" font-size="10">N resources</text>`,
    `<text x="10" y="${PAD.top + h / 2}" font-size="10" transform="rotate(-90 10 ${PAD.top + h / 2})" text-anchor="middle">seconds</text>`,
  );
  for (const [key, color, dash] of [
    ["seconds", COLORS.provider, ""],
    ["baselineSeconds", COLORS.baseline, ' stroke-dasharray="5 3"'],
    ["floorSeconds", COLORS.floor, ' stroke-dasharray="2 3"'],
  ] as const) {
    // results written before the floor was measured have none
    if (pts.some((p) => !p[key])) continue;
    const line = pts.map((p) => `${X(p.n).toFixed(1)},${Y(p[key]).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const p of pts) out.push(`<circle cx="${X(p.n)}" cy="${Y(p[key])}" r="3" fill="${color}"/>`);
  }
  const last = pts[pts.length - 1];
  out.push(
    `<text x="${X(last.n) - 4}" y="${Y(last.seconds) - 7}" text-anchor="end" font-size="10" fill="${COLORS.provider}">${last.ratio}x</text>`,
  );
  return out.concat("</g>").join("\n");
}

export function chartSvg(rows: ScaleRow[], title: string): string {
  const rowsOfPanels = Math.ceil(OPS.length / COLS);
  const width = PANEL_W * COLS;
  const height = 40 + PANEL_H * rowsOfPanels;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="12" y="22" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${width - 400}" x2="${width - 376}" y1="18" y2="18" stroke="${COLORS.provider}" stroke-width="2"/>`,
    `<text x="${width - 370}" y="22">pulumi-accsyn</text>`,
    `<line x1="${width - 270}" x2="${width - 246}" y1="18" y2="18" stroke="${COLORS.baseline}" stroke-width="2" stroke-dasharray="5 3"/>`,
    `<text x="${width - 240}" y="22">no-op baseline</text>`,
    `<line x1="${width - 130}" x2="${width - 106}" y1="18" y2="18" stroke="${COLORS.floor}" stroke-width="2" stroke-dasharray="2 3"/>`,
    `<text x="${width - 100}" y="22">floor</text>`,
  ];
  OPS.forEach((op, i) => {
    parts.push(panel(rows, op, (i % COLS) * PANEL_W, 40 + Math.floor(i / COLS) * PANEL_H));
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
