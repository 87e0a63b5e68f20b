import { isLabError } from '@nflab/contracts';

/** How a command prints: human text on a terminal, or one JSON document for scripts (`--json`). */
export interface Output {
  readonly json: boolean;
  /** Prints `data` as JSON, or the human rendering of it. */
  result(data: unknown, human: () => string): void;
  /** A line for people (stderr in JSON mode, so stdout stays parseable). */
  info(line: string): void;
}

/** Creates the output for one invocation. */
export const createOutput = (json: boolean): Output => ({
  json,
  result(data, human) {
    process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
  },
  info(line) {
    (json ? process.stderr : process.stdout).write(`${line}\n`);
  },
});

/** Exit status for a failure: 2 for bad input (fix the command), 1 for everything else. */
export const exitCodeFor = (error: unknown): number => (isLabError(error) && error.code === 'config' ? 2 : 1);

/** Prints an error the way the output mode wants; bugs keep their stack. */
export const reportError = (error: unknown, json: boolean): void => {
  if (json) {
    const body = isLabError(error)
      ? { error: { code: error.code, message: error.message } }
      : { error: { code: 'internal', message: String(error), stack: (error as Error)?.stack } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  if (isLabError(error)) process.stderr.write(`error: ${error.message}\n`);
  else process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
};

/** Renders rows as an aligned text table. */
export const formatTable = (
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
): string => {
  if (rows.length === 0) return '(none)';
  const keys = columns ?? Object.keys(rows[0] ?? {});
  const cell = (value: unknown): string =>
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : Array.isArray(value)
          ? value.join(',')
          : String(value);
  const widths = keys.map((key) => Math.max(key.length, ...rows.map((row) => cell(row[key]).length)));
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(keys),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((row) => line(keys.map((k) => cell(row[k])))),
  ].join('\n');
};
