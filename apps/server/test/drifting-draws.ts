/** Test fixture: LOTO6 draws whose numbers drift by construction, for the monitor tests. */
import type { Draw } from '@nflab/store';

/** From draw `from` on, each draw's main numbers are the six smallest that are not its bonus. */
export const drifting = (draws: Draw[], from = 200): Draw[] =>
  draws.map((draw, i) =>
    i < from
      ? draw
      : {
          ...draw,
          main: Array.from({ length: 12 }, (_, k) => k + 1)
            .filter((n) => !draw.bonus.includes(n))
            .slice(0, 6),
        },
  );
