/** Test helper: Prometheus text format (0.0.4) read into samples, enough to check names, labels and values. */

/** One sample line: `name{label="value",…} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const parseValue = (text: string): number =>
  text === '+Inf'
    ? Infinity
    : text === '-Inf'
      ? -Infinity
      : text === 'NaN' || text === 'Nan'
        ? NaN
        : Number(text);

/** Every sample of `text` (comments skipped); throws on a line that is neither. */
export const parseSamples = (text: string): Sample[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = LINE.exec(line);
      if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (match[2] ?? '').matchAll(LABEL))
        labels[name as string] = value as string;
      return { name: match[1] as string, labels, value: parseValue(match[3] as string) };
    });

/** The value of the one sample of `name` whose labels include `labels`; throws unless exactly one. */
export const sampleValue = (
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number => {
  const found = samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}, expected exactly one`);
  return (found[0] as Sample).value;
};
