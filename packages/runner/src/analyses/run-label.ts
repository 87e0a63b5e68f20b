/** How analyses name a run in their tables: its model and the first eight characters of its id. */
export const analysedRunLabel = (run: { readonly id: string; readonly model_name: string | null }): string =>
  `${run.model_name ?? 'run'} · ${run.id.slice(0, 8)}`;
