/** One colour per registry stage, the same on every registry view. */
import type { RegistryStage } from '../../api/types.js';

/** Badge colour of each stage. */
export const STAGE_COLOR: Readonly<Record<RegistryStage, string>> = {
  dev: 'gray',
  staging: 'yellow',
  prod: 'green',
  archived: 'dark',
};
