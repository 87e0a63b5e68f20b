/** A registered model as the API and `nflab registry ls` show it: its versions summed up. */
import type { RegisteredModelDto } from '@nflab/contracts';
import type { ModelRegistryRow, RegisteredModelRow } from '@nflab/store';

/** A registered model with a summary of its versions, as the list shows it. */
export const registeredModelDto = (
  model: RegisteredModelRow,
  versions: readonly ModelRegistryRow[],
): RegisteredModelDto => {
  const stages: RegisteredModelDto['stages'] = {};
  const aliases: Record<string, number> = {};
  for (const version of versions) {
    stages[version.stage] = Math.max(stages[version.stage] ?? 0, version.version);
    for (const name of version.aliases) aliases[name] = version.version;
  }
  return {
    name: model.name,
    description: model.description,
    tags: (model.tags ?? {}) as Record<string, unknown>,
    created_at: model.created_at.toISOString(),
    updated_at: model.updated_at.toISOString(),
    versions: versions.length,
    latest_version: versions.length === 0 ? null : Math.max(...versions.map((version) => version.version)),
    stages,
    aliases,
  };
};
