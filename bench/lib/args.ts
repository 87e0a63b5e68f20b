/**
 * The bench scripts' command line: `--name value` flags, `--name` switches and
 * `--set key=value,...` config overrides, read from this process's arguments.
 */

/** The arguments after `node script.ts`. */
const argv = (): readonly string[] => process.argv.slice(2);

/** The value after `--name`, or `fallback` when the flag is absent or has nothing after it. */
export const flag = (name: string, fallback: string): string => {
  const args = argv();
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};

/** Whether the switch `--name` is on the command line. */
export const has = (name: string): boolean => argv().includes(`--${name}`);

/** `--name`'s value as a number, or `fallback` when the flag is absent or has nothing after it. */
export const numberFlag = (name: string, fallback: number): number => Number(flag(name, String(fallback)));

/**
 * `--name key=value,...` (default `--set`) as an object of config overrides: each value parsed as
 * JSON (`dropout=0`, `flag=true`, `hidden=[64]` without commas), kept as the string where it is not
 * JSON (`activation=gelu`). Pairs without `=` are skipped; a value may itself contain `=`.
 */
export const overrides = (name = 'set'): Record<string, unknown> =>
  Object.fromEntries(
    flag(name, '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => {
        const at = pair.indexOf('=');
        const raw = pair.slice(at + 1);
        try {
          return [pair.slice(0, at), JSON.parse(raw) as unknown];
        } catch {
          return [pair.slice(0, at), raw];
        }
      }),
  );
