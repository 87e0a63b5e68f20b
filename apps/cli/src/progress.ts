/** A one-line progress bar on a terminal; silent when stderr is not a TTY (pipes, CI, --json). */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 30;

/** Creates a progress bar labelled `label`, drawn on stderr. */
export const createProgressBar = (label: string, enabled = process.stderr.isTTY === true): ProgressBar => {
  let drawn = false;
  return {
    update(done, total) {
      if (!enabled || total <= 0) return;
      const fraction = Math.min(1, done / total);
      const filled = Math.round(fraction * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      process.stderr.write(`\r${label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total}`);
      drawn = true;
    },
    finish() {
      if (drawn) process.stderr.write('\n');
    },
  };
};
