/**
 * Save / load of a fitted NeuralForecast: `manifest.json` (format_version, models with their
 * configs and variable shapes, local scaler parameters), `dataset.json` (the fitted panel, so
 * predict works without data) and one little-endian float32 file of weights per model.
 * A save is written to a staging folder inside the target and moved into place only once every
 * file is complete, manifest last: a failed write (full disk, file-size limit) leaves no partial
 * file behind, and a folder with a manifest always holds a whole save.
 */
import { mkdir, mkdtemp, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ConflictError, NotFoundError } from '@nflab/contracts';
import type { CategoricalVocab } from '../categorical/vocab.js';
import type { Freq } from '../data/freq.js';
import type { DsValue, MissingPolicy, Panel, Series } from '../data/panel.js';
import type { LocalScalerType } from '../scalers/types.js';
import { buildNetwork, modelVariables, type CoreModel } from './fitted-model.js';
import type { LocalScalerState } from './local-scaling.js';
import type { ModelEntry, NeuralForecastOptions } from './types.js';

/** Version of the saved layout; bumped on any incompatible change. */
export const FORMAT_VERSION = 1;

/** Options of `save`. */
export interface SaveOptions {
  /** Replace an existing save in `dir`. @default false */
  readonly overwrite?: boolean;
}

/** The parts of a NeuralForecast that persistence reads and writes. */
interface Saveable {
  readonly models: readonly CoreModel[];
  readonly freq: Freq;
  readonly localScalerType: LocalScalerType | null;
  readonly missing: MissingPolicy;
  readonly calendar: readonly DsValue[] | undefined;
  state: { readonly panel: Panel; readonly scalers: LocalScalerState | null } | null;
  categoricalVocab: CategoricalVocab | null;
}

interface Manifest {
  readonly format_version: number;
  readonly freq: Freq;
  readonly local_scaler_type: LocalScalerType | null;
  readonly missing: MissingPolicy;
  readonly calendar: readonly DsValue[] | null;
  readonly models: readonly {
    readonly id: string;
    readonly alias: string | null;
    readonly name: string;
    readonly config: Readonly<Record<string, unknown>>;
    readonly weights: string;
    readonly variables: readonly { readonly name: string; readonly shape: readonly number[] }[];
  }[];
  readonly local_scalers: LocalScalerState | null;
  /** The categorical columns' vocabulary (absent in saves made before categorical support). */
  readonly categorical_vocab?: CategoricalVocab | null;
}

interface SavedSeries {
  readonly id: string;
  readonly time: number[];
  readonly y: number[];
  readonly mask: number[];
  readonly exog: Record<string, number[]>;
}

const MANIFEST = 'manifest.json';
const DATASET = 'dataset.json';

const exists = async (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The entries of a save, in the order they are moved into place (manifest last). */
const SAVE_ENTRIES = ['weights', DATASET, MANIFEST] as const;

/** Writes every file of a save into `dir` (the staging folder). */
const writeSave = async (
  core: Saveable,
  state: NonNullable<Saveable['state']>,
  dir: string,
): Promise<void> => {
  await mkdir(path.join(dir, 'weights'));
  const models: Manifest['models'][number][] = [];
  for (const [i, model] of core.models.entries()) {
    const variables = modelVariables(model);
    const chunks = await Promise.all(variables.map((v) => v.data() as Promise<Float32Array>));
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const buffer = Buffer.alloc(total * 4);
    let offset = 0;
    for (const chunk of chunks) for (const value of chunk) offset = buffer.writeFloatLE(value, offset);
    const weights = `weights/${i}.bin`;
    await writeFile(path.join(dir, weights), buffer);
    models.push({
      id: model.entry.id,
      alias: model.entry.alias ?? null,
      name: model.name,
      config: model.entry.config,
      weights,
      variables: variables.map((v, k) => ({
        name: k < (model.network?.variables.length ?? 0) ? v.name.replace(/#\d+\//, '/') : `revin/${k}`,
        shape: v.shape,
      })),
    });
  }
  const manifest: Manifest = {
    format_version: FORMAT_VERSION,
    freq: core.freq,
    local_scaler_type: core.localScalerType,
    missing: core.missing,
    calendar: core.calendar ? [...core.calendar] : null,
    models,
    local_scalers: state.scalers,
    categorical_vocab: core.categoricalVocab,
  };
  const panel = state.panel;
  const dataset = {
    exog_columns: panel.exogColumns,
    static: panel.static,
    static_columns: panel.staticColumns,
    series: panel.series.map((s) => ({
      id: s.id,
      time: Array.from(s.time),
      y: Array.from(s.y),
      mask: Array.from(s.mask),
      exog: Object.fromEntries(Object.entries(s.exog).map(([k, v]) => [k, Array.from(v)])),
    })),
  };
  await writeFile(path.join(dir, DATASET), JSON.stringify(dataset));
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
};

/** Moves a complete save from `staging` into `dir`, replacing the entries of an older save there. */
const commitSave = async (staging: string, dir: string): Promise<void> => {
  try {
    // The old manifest goes first, so a crash between the moves never leaves a mixed save that looks whole.
    for (const entry of [...SAVE_ENTRIES].reverse())
      await rm(path.join(dir, entry), { recursive: true, force: true });
    for (const entry of SAVE_ENTRIES) await rename(path.join(staging, entry), path.join(dir, entry));
  } catch (error) {
    for (const entry of SAVE_ENTRIES) await rm(path.join(dir, entry), { recursive: true, force: true });
    throw error;
  }
};

/** Removes `dir` and its parents up to `created` (the first folder mkdir made), as long as they are empty. */
const removeCreatedFolders = async (dir: string, created: string): Promise<void> => {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    const removed = await rmdir(folder).then(
      () => true,
      () => false,
    );
    if (!removed || folder === path.resolve(created) || folder === path.dirname(folder)) return;
  }
};

/** Writes `core` under `dir`; an existing save is a ConflictError unless `overwrite`. */
export const saveCore = async (core: Saveable, dir: string, options: SaveOptions): Promise<void> => {
  const { state } = core;
  if (!state || core.models.some((m) => !m.network))
    throw new ConfigError('only a fitted NeuralForecast can be saved; call fit first');
  if ((await exists(path.join(dir, MANIFEST))) && !options.overwrite) {
    throw new ConflictError(`'${dir}' already holds a saved model; pass { overwrite: true } to replace it`);
  }
  const created = await mkdir(dir, { recursive: true });
  // Inside `dir`, so the final moves are renames on one file system.
  const staging = await mkdtemp(path.join(dir, '.saving-'));
  try {
    await writeSave(core, state, staging);
    await commitSave(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (created !== undefined) await removeCreatedFolders(dir, created);
    throw error;
  }
  await rm(staging, { recursive: true, force: true });
};

/** Reads a save written by {@link saveCore}; `create` builds the NeuralForecast from its options. */
export const loadCore = async <T extends Saveable>(
  dir: string,
  create: (options: NeuralForecastOptions) => T,
): Promise<T> => {
  const manifestPath = path.join(dir, MANIFEST);
  if (!(await exists(manifestPath)))
    throw new NotFoundError(`no saved model in '${dir}' (missing ${MANIFEST})`);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  if (manifest.format_version !== FORMAT_VERSION) {
    throw new ConfigError(
      `'${dir}' was saved with format_version ${String(manifest.format_version)}; this engine reads ${FORMAT_VERSION}`,
    );
  }
  const entries: ModelEntry[] = manifest.models.map((m) => ({
    id: m.id,
    config: m.config,
    ...(m.alias ? { alias: m.alias } : {}),
  }));
  const core = create({
    models: entries,
    freq: manifest.freq,
    localScalerType: manifest.local_scaler_type,
    missing: manifest.missing,
    ...(manifest.calendar ? { calendar: manifest.calendar } : {}),
  });
  for (const [i, model] of core.models.entries()) {
    const saved = manifest.models[i] as Manifest['models'][number];
    buildNetwork(model);
    const variables = modelVariables(model);
    const bytes = await readFile(path.join(dir, saved.weights));
    if (variables.length !== saved.variables.length) {
      throw new ConfigError(
        `model '${model.name}': saved weights have ${saved.variables.length} variables; the model builds ${variables.length}`,
      );
    }
    let offset = 0;
    variables.forEach((variable, k) => {
      const shape = saved.variables[k]?.shape ?? [];
      if (shape.join(',') !== variable.shape.join(',')) {
        throw new ConfigError(
          `model '${model.name}': variable ${k} was saved as [${shape.join(', ')}] but builds as [${variable.shape.join(', ')}]`,
        );
      }
      const values = new Float32Array(variable.size);
      for (let j = 0; j < values.length; j += 1) values[j] = bytes.readFloatLE((offset + j) * 4);
      offset += values.length;
      const tensor = tf.tensor(values, variable.shape);
      variable.assign(tensor);
      tensor.dispose();
    });
  }
  const dataset = JSON.parse(await readFile(path.join(dir, DATASET), 'utf8')) as {
    exog_columns: string[];
    static: Panel['static'];
    static_columns: string[];
    series: SavedSeries[];
  };
  const series: Series[] = dataset.series.map((s) => ({
    id: s.id,
    time: Float64Array.from(s.time),
    y: Float64Array.from(s.y),
    mask: Float64Array.from(s.mask),
    exog: Object.fromEntries(Object.entries(s.exog).map(([k, v]) => [k, Float64Array.from(v)])),
  }));
  core.state = {
    panel: {
      freq: manifest.freq,
      series,
      exogColumns: dataset.exog_columns,
      static: dataset.static,
      staticColumns: dataset.static_columns,
    },
    scalers: manifest.local_scalers,
  };
  core.categoricalVocab = manifest.categorical_vocab ?? null;
  return core;
};
