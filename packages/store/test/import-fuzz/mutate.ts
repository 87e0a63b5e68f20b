/**
 * Seeded mutations of results files. Files are handled as latin1 strings (one character per byte):
 * CR, LF, comma and quote bytes never occur inside a Shift_JIS or UTF-8 multi-byte character, so
 * splitting lines and fields this way is exact for both encodings and every byte survives.
 */
import type { Rng } from '@nflab/contracts';

/** One mutation: its name and what it does to the file. */
export interface Mutation {
  readonly name: string;
  readonly apply: (file: string, rng: Rng) => string;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)] as T;

const EOL = /\r\n|\n|\r/;
const lines = (file: string): { lines: string[]; eol: string } => ({
  lines: file.split(EOL),
  eol: file.includes('\r\n') ? '\r\n' : '\n',
});

// A data line index (1 … n-1), skipping the trailing empty line a final newline leaves.
const dataLine = (all: readonly string[], rng: Rng): number => {
  const last = all.length > 1 && all[all.length - 1] === '' ? all.length - 2 : all.length - 1;
  return last < 1 ? 0 : 1 + rng.int(last);
};

const onLines = (file: string, fn: (all: string[]) => void): string => {
  const { lines: all, eol } = lines(file);
  fn(all);
  return all.join(eol);
};

const onField = (file: string, rng: Rng, fn: (value: string, rng: Rng) => string): string =>
  onLines(file, (all) => {
    const i = dataLine(all, rng);
    if (i === 0) return;
    const fields = (all[i] as string).split(',');
    const f = rng.int(fields.length);
    fields[f] = fn(fields[f] as string, rng);
    all[i] = fields.join(',');
  });

const onColumn = (file: string, rng: Rng, fn: (fields: string[], column: number) => void): string =>
  onLines(file, (all) => {
    const column = rng.int((all[0] ?? '').split(',').length);
    all.forEach((line, i) => {
      if (line === '') return;
      const fields = line.split(',');
      fn(fields, column);
      all[i] = fields.join(',');
    });
  });

const utf8ToLatin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** Every mutation the fuzz test draws from. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip a byte',
    apply: (file, rng) => {
      if (file.length === 0) return file;
      const at = rng.int(file.length);
      const byte = file.charCodeAt(at) ^ (1 << rng.int(8));
      return file.slice(0, at) + String.fromCharCode(byte) + file.slice(at + 1);
    },
  },
  {
    name: 'drop a column',
    apply: (file, rng) => onColumn(file, rng, (fields, c) => void fields.splice(c, 1)),
  },
  {
    name: 'duplicate a column',
    apply: (file, rng) => onColumn(file, rng, (fields, c) => void fields.splice(c, 0, fields[c] ?? '')),
  },
  {
    name: 'drop a field of one line',
    apply: (file, rng) =>
      onLines(file, (all) => {
        const i = dataLine(all, rng);
        const fields = (all[i] ?? '').split(',');
        fields.splice(rng.int(fields.length), 1);
        if (i > 0) all[i] = fields.join(',');
      }),
  },
  {
    name: 'swap two lines',
    apply: (file, rng) =>
      onLines(file, (all) => {
        const [a, b] = [dataLine(all, rng), dataLine(all, rng)];
        [all[a], all[b]] = [all[b] as string, all[a] as string];
      }),
  },
  {
    name: 'duplicate a line',
    apply: (file, rng) =>
      onLines(file, (all) => void all.splice(dataLine(all, rng), 0, all[dataLine(all, rng)] ?? '')),
  },
  {
    name: 'delete a line',
    apply: (file, rng) => onLines(file, (all) => void all.splice(dataLine(all, rng), 1)),
  },
  { name: 'quote a field', apply: (file, rng) => onField(file, rng, (value) => `"${value}"`) },
  {
    name: 'split a number with a comma',
    apply: (file, rng) =>
      onField(file, rng, (value, r) => {
        if (value.length < 2) return `"${value},${r.int(10)}"`;
        const at = 1 + r.int(value.length - 1);
        return `"${value.slice(0, at)},${value.slice(at)}"`;
      }),
  },
  {
    name: 'group thousands',
    apply: (file, rng) =>
      onField(file, rng, (value) =>
        /^\d{4,}$/.test(value) ? `"${Number(value).toLocaleString('en-US')}"` : value,
      ),
  },
  {
    name: 'huge number',
    apply: (file, rng) => onField(file, rng, (_, r) => pick(r, ['9', '1', '4']).repeat(10 + r.int(400))),
  },
  {
    name: 'odd number',
    apply: (file, rng) =>
      onField(file, rng, (value, r) =>
        pick(r, [
          `-${value}`,
          `${value}.0`,
          '1e3',
          '0x1F',
          ' ',
          'NaN',
          '',
          '-',
          utf8ToLatin1('１２'),
          utf8ToLatin1(`${value}円`),
        ]),
      ),
  },
  {
    name: 'earlier or equal date',
    apply: (file, rng) =>
      onLines(file, (all) => {
        const i = dataLine(all, rng);
        const j = dataLine(all, rng);
        if (i === 0 || j === 0) return;
        const target = (all[i] as string).split(',');
        target[1] = (all[j] as string).split(',')[1] ?? '';
        all[i] = target.join(',');
      }),
  },
  {
    name: 'bad date',
    apply: (file, rng) =>
      onLines(file, (all) => {
        const i = dataLine(all, rng);
        if (i === 0) return;
        const fields = (all[i] as string).split(',');
        fields[1] = pick(rng, [
          '2021/2/30',
          '0000/1/1',
          '9999/12/31',
          '2000/13/1',
          '20001005',
          '2000-10-05',
          '',
        ]);
        all[i] = fields.join(',');
      }),
  },
  { name: 'truncate', apply: (file, rng) => file.slice(0, rng.int(file.length + 1)) },
  { name: 'BOM first', apply: (file) => `\xef\xbb\xbf${file}` },
  {
    name: 'BOM inside',
    apply: (file, rng) =>
      onLines(file, (all) => void (all[dataLine(all, rng)] = `\xef\xbb\xbf${all[dataLine(all, rng)] ?? ''}`)),
  },
  {
    name: 'UTF-16',
    apply: (file) =>
      Buffer.from(new TextDecoder('utf-8').decode(Buffer.from(file, 'latin1')), 'utf16le').toString('latin1'),
  },
  { name: 'invalid UTF-8 byte', apply: (file, rng) => onField(file, rng, (value) => `${value}\xff`) },
  { name: 'CR line ends', apply: (file) => file.replace(/\r?\n/g, '\r') },
  { name: 'blank lines', apply: (file) => file.replace(/\r?\n/g, (eol) => eol + eol) },
  { name: 'trailing comma', apply: (file) => file.replace(/\r?\n/g, (eol) => `,${eol}`) },
  {
    name: 'stray quote or control character',
    apply: (file, rng) =>
      onField(file, rng, (value, r) =>
        pick(r, [`"${value}`, `${value}"x`, `${value}\x00`, `\t${value}`, utf8ToLatin1('４')]),
      ),
  },
];

/** Applies 1–3 mutations drawn with `rng` and names them. */
export const mutate = (file: string, rng: Rng): { file: string; applied: string[] } => {
  let out = file;
  const applied: string[] = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const mutation = pick(rng, MUTATIONS);
    out = mutation.apply(out, rng);
    applied.push(mutation.name);
  }
  return { file: out, applied };
};
