export * from './db.js';
export { openPglite } from './drivers/pglite.js';
export { openPostgres, type PostgresOptions } from './drivers/postgres.js';
export { createRng, type Rng } from './loto/rng.js';
export { choose, distinctPermutations, tierProbabilities } from './loto/odds.js';
export { SALES_MODELS, type SalesModel } from './loto/sales.js';
export { drawPrizes, type DrawPrizes, type DrawPrizesOptions } from './loto/prizes.js';
export { synthesizeDraws, drawDays, MAX_SYNTH_DRAWS, type SynthesizeOptions } from './loto/synth.js';
