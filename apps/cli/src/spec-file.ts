/** Spec files (run and sweep specs as JSON) as commands read them. */
import { readFile } from 'node:fs/promises';
import { ConfigError, DEFAULT_MAX_JSON_DEPTH, jsonDeeperThan } from '@nflab/contracts';

// Windows editors (Notepad, PowerShell's Out-File) start UTF-8 files with a byte order mark,
// which JSON.parse rejects; it carries no meaning, so it is dropped.
const BOM = '\uFEFF';

/**
 * The parsed JSON of `file` (UTF-8, with or without a BOM); a ConfigError naming the file when it
 * cannot be read or parsed, or nests deeper than any spec does.
 */
export const readSpecFile = async (file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read spec file ${JSON.stringify(file)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Checked before parsing: planning walks the spec recursively, and a few kilobytes of brackets
  // would overflow the stack there instead of failing here with a message.
  if (jsonDeeperThan(text, DEFAULT_MAX_JSON_DEPTH)) {
    throw new ConfigError(
      `spec file ${JSON.stringify(file)} nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels; no spec needs that — flatten it`,
    );
  }
  try {
    return JSON.parse(text.startsWith(BOM) ? text.slice(BOM.length) : text) as unknown;
  } catch (error) {
    throw new ConfigError(
      `spec file ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
};
