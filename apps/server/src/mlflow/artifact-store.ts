/**
 * Files behind MLflow's artifact proxy (`mlflow-artifacts:/<experiment>/<run>/artifacts/...`),
 * kept under `<artifact root>/mlflow/`. A client's path is checked segment by segment (no `..`,
 * `.`, empty segments, backslashes or absolute paths) and the resolved file must still lie under
 * that folder once symlinks are followed, so no request reads or writes outside it.
 */
import { createWriteStream, type ReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MlflowError, invalidParameter } from '@nflab/store';

/** The largest artifact file one upload may carry. */
export const MAX_MLFLOW_ARTIFACT_BYTES = 1024 ** 3;

/** The folder MLflow artifacts live in. */
export const mlflowArtifactFolder = (artifactRoot: string): string => join(artifactRoot, 'mlflow');

/** The segments of a client's artifact path; INVALID_PARAMETER_VALUE for anything that could escape. */
export const artifactSegments = (path: string): string[] => {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return [];
  const segments = trimmed.split('/');
  for (const segment of segments)
    if (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment.includes('\\') ||
      segment.includes('\0')
    )
      throw invalidParameter(
        `Invalid artifact path ${JSON.stringify(path)}: use relative paths of named segments, without '.', '..', '//' or '\\'.`,
      );
  return segments;
};

/** The real path of `root` (created when missing), which every resolved path must stay under. */
const realRoot = async (root: string): Promise<string> => {
  await mkdir(root, { recursive: true });
  return realpath(root);
};

/** The absolute path of a client path under `root`, refusing one that resolves outside it. */
const resolveInside = async (root: string, path: string): Promise<{ base: string; file: string }> => {
  const base = await realRoot(root);
  const file = join(base, ...artifactSegments(path));
  // The nearest existing ancestor, followed through symlinks, must still be inside the root.
  let existing = file;
  for (;;) {
    try {
      const real = await realpath(existing);
      if (real !== base && !real.startsWith(base + sep))
        throw invalidParameter(
          `Invalid artifact path ${JSON.stringify(path)}: it leads outside the artifact store.`,
        );
      break;
    } catch (error) {
      if (error instanceof MlflowError) throw error;
      if (existing === base) break;
      existing = dirname(existing);
    }
  }
  return { base, file };
};

/** MLflow's FileInfo. */
export interface ArtifactFileInfo {
  readonly path: string;
  readonly is_dir: boolean;
  readonly file_size?: number;
}

/** The entries of the folder at `path`, by name; none for a file or a missing path (as MLflow answers). */
export const listArtifacts = async (root: string, path: string): Promise<ArtifactFileInfo[]> => {
  const { file } = await resolveInside(root, path);
  const stats = await lstat(file).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) return [];
  const entries = await readdir(file, { withFileTypes: true });
  const infos: ArtifactFileInfo[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Symlinks are never followed out of the store, and never listed.
    if (entry.isDirectory()) infos.push({ path: entry.name, is_dir: true });
    else if (entry.isFile())
      infos.push({ path: entry.name, is_dir: false, file_size: (await lstat(join(file, entry.name))).size });
  }
  return infos;
};

/** Refuses an upload past {@link MAX_MLFLOW_ARTIFACT_BYTES} while it streams in. */
const byteLimit = (max: number): Transform => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max)
        done(invalidParameter(`the artifact is larger than the ${max} bytes one upload may carry`));
      else done(null, chunk);
    },
  });
};

/**
 * Writes `body` to the artifact at `path`, through a temporary file renamed into place, so a
 * reader never sees half a file and a refused upload leaves none.
 */
export const writeArtifact = async (root: string, path: string, body: Readable): Promise<number> => {
  if (artifactSegments(path).length === 0) throw invalidParameter('an artifact upload needs a file path');
  const { file } = await resolveInside(root, path);
  const existing = await lstat(file).catch(() => undefined);
  if (existing?.isDirectory())
    throw invalidParameter(`Invalid artifact path ${JSON.stringify(path)}: it is a folder.`);
  await mkdir(dirname(file), { recursive: true });
  // Checked again now that the folders exist: a symlinked folder must not redirect the write.
  await resolveInside(root, path);
  const partial = `${file}.upload-${process.pid}-${Date.now()}`;
  try {
    await pipeline(body, byteLimit(MAX_MLFLOW_ARTIFACT_BYTES), createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return (await lstat(file)).size;
};

/** The artifact file at `path` opened for download; RESOURCE_DOES_NOT_EXIST for a folder or nothing. */
export const openArtifactFile = async (
  root: string,
  path: string,
): Promise<{ stream: ReadStream; bytes: number; name: string }> => {
  const { base, file } = await resolveInside(root, path);
  const stats = await lstat(file).catch(() => undefined);
  if (stats === undefined || !stats.isFile())
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `No such artifact file: ${relative(base, file) || path}`,
    );
  const handle = await open(file, 'r');
  return {
    stream: handle.createReadStream(),
    bytes: stats.size,
    name: file.slice(file.lastIndexOf(sep) + 1),
  };
};

// Text MLflow writes (JSON, YAML, MLmodel, requirements) is served as plain text, never as HTML or
// script a browser would run; anything else is a byte stream.
const TEXT_EXTENSIONS = /\.(json|txt|ya?ml|md|csv|log|py|cfg|ini|toml)$/i;

/** The content type an artifact is served with. */
export const artifactContentType = (name: string): string =>
  TEXT_EXTENSIONS.test(name) || name === 'MLmodel' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
