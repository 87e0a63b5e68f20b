/** Artifact files are served only from the lab's artifact folder, whatever a row's path says. */
import type { ReadStream } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';
import { ConflictError, LabError, NotFoundError } from '@nflab/contracts';
import { DEFAULT_NFLAB_HOME } from '@nflab/store';

/** `$NFLAB_HOME/artifacts`, absolute. */
export const defaultArtifactRoot = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): string =>
  resolve(
    env.NFLAB_HOME !== undefined && env.NFLAB_HOME !== '' ? env.NFLAB_HOME : DEFAULT_NFLAB_HOME,
    'artifacts',
  );

/**
 * The real path of an artifact file: relative paths are taken under `root`; anything that resolves
 * (symlinks included) outside `root` is refused, since a row's path is data anyone with database
 * access could write.
 */
export const artifactFile = async (root: string, path: string): Promise<string> => {
  const candidate = isAbsolute(path) ? path : join(root, path);
  let real: string;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(candidate);
  } catch {
    throw new NotFoundError(`artifact file ${JSON.stringify(path)} is missing`);
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new LabError(
      'forbidden',
      `artifact file ${JSON.stringify(path)} is outside the lab's artifact folder`,
    );
  }
  return real;
};

/** An artifact file opened for download. */
export interface OpenedArtifact {
  /** The file's contents; the stream closes the file when it ends or fails. */
  readonly stream: ReadStream;
  readonly bytes: number;
  /** `attachment; filename="…"; filename*=UTF-8''…` for the file's own name. */
  readonly contentDisposition: string;
}

// RFC 5987 attr-chars are encodeURIComponent's unreserved set minus these four.
const encodeExtValue = (text: string): string =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `Content-Disposition` for a download named `name` (RFC 6266): a quoted plain-ASCII `filename`
 * every client reads, plus the exact UTF-8 name as `filename*` (RFC 5987) when the two differ.
 * A header holds Latin-1 only, so a raw `東京.bin` there would fail the whole response; `%`, `"`
 * and `\` are replaced too, since clients disagree on decoding or unescaping them.
 */
export const attachmentHeader = (name: string): string => {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const plain = `attachment; filename="${fallback}"`;
  return fallback === name ? plain : `${plain}; filename*=UTF-8''${encodeExtValue(name)}`;
};

/**
 * Opens the artifact file at `path` (see {@link artifactFile}) before any byte of the answer is
 * sent, so a missing, unreadable or folder path becomes a clear 404/409 rather than a broken 500.
 */
export const openArtifact = async (root: string, path: string): Promise<OpenedArtifact> => {
  const file = await artifactFile(root, path);
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new NotFoundError(`artifact file ${JSON.stringify(path)} cannot be opened`, { cause: error });
  });
  try {
    const stats = await handle.stat();
    if (stats.isDirectory())
      throw new ConflictError(
        `artifact ${JSON.stringify(path)} is a folder, not a file: download the files under it one by one`,
      );
    if (!stats.isFile())
      throw new ConflictError(
        `artifact ${JSON.stringify(path)} is not a regular file, so it cannot be downloaded`,
      );
    return {
      stream: handle.createReadStream(),
      bytes: stats.size,
      contentDisposition: attachmentHeader(basename(file)),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
};
