/**
 * The HTML side of reports: escaping and the page shell. Every string a user or a run could have
 * written (titles, labels, ids, parameter values, error text) passes through {@link esc}, so a
 * report cannot carry markup or script into the reader's browser. The shell's Content-Security-
 * Policy forbids any fetch (no scripts, no network, images only as data:), so a report opened
 * offline shows everything and an injected URL would load nothing even if one slipped through.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** The text safe in element content and in quoted attribute values. */
export const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);

/** A number for people: 4 significant digits, exponent for the very large or small, '—' for none. */
export const num = (value: unknown): string => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(3);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
};

/** A table of already-escaped cells; `head` is escaped here. */
export const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** Key/value rows of a flat object (nested values as compact JSON), all escaped. */
export const keyValues = (value: Readonly<Record<string, unknown>>): string =>
  table(
    ['key', 'value'],
    Object.entries(value).map(([key, v]) => [
      esc(key),
      esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : typeof v === 'number' ? num(v) : v),
    ]),
  );

/** The verdict box every report opens with: the honest answer to "does it beat chance?". */
export const verdict = (beatsChance: boolean | null, text: string): string => {
  const tone = beatsChance === true ? 'yes' : beatsChance === false ? 'no' : 'unknown';
  const head =
    beatsChance === true
      ? 'Beats chance: yes'
      : beatsChance === false
        ? 'Beats chance: no'
        : 'Beats chance: not established';
  return `<section class="verdict ${tone}" data-verdict="${tone}"><h2>${esc(head)}</h2><p>${esc(text)}</p></section>`;
};

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;color:#1a1b1e;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:#555;font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:12px}
th,td{border:1px solid #d0d4d9;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f1f3f5}
.verdict{border:2px solid #868e96;border-radius:6px;padding:8px 14px;margin:14px 0}
.verdict h2{margin:4px 0}.verdict.yes{border-color:#2f9e44;background:#ebfbee}
.verdict.no{border-color:#e03131;background:#fff5f5}.verdict.unknown{background:#f8f9fa}
svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}section{break-inside:avoid}}
`;

/** Options of {@link page}. */
export interface PageOptions {
  readonly title: string;
  /** Shown under the title (escaped). */
  readonly subtitle: string;
  /** The body, already escaped. */
  readonly body: string;
}

/** A complete, self-contained HTML document. */
export const page = ({ title, subtitle, body }: PageOptions): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="NF Loto Lab">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1><p class="meta">${esc(subtitle)}</p></header>
${body}
<footer class="meta"><p>Made by NF Loto Lab. Lottery draws are designed to be random: a forecast that does not beat the naive baselines with statistical significance is no better than chance.</p></footer>
</body></html>
`;
