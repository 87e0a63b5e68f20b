/** Artifact files are served only from the lab's artifact folder, whatever a row's path says. */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { LabError, NotFoundError } from '@nflab/contracts';
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
