/**
 * A/B of one TFT speed switch at the zoo yardstick (B=1024 windows, input_size 24, h 12, hidden 128):
 * the same network and batch, training steps with the switch on and off interleaved in one process
 * (order alternating per round), medians of wall and CPU ms per step each way and of the rounds'
 * paired on/off ratios, and the largest loss difference between the two paths at the same dropout
 * seed — on a machine others load, the only comparison that means anything.
 *   npx tsx bench/tft-ab.ts --switch <name> [--rounds 5] [--steps 1] [--batch 1024] [--blas-threads 2]
 */
import { enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import { MODELS } from '../packages/engine/src/models/registry.js';
import { flag, has, numberFlag } from './lib/args.js';
import { yardstickStep } from './lib/yardstick-step.js';
import { setSplitInputGate } from '../packages/engine/src/models/tft/tft.js';
import { setSeparateKeyValueProducts } from '../packages/engine/src/models/tft/interpretable-attention.js';
import { setFusedBiasElu } from '../packages/engine/src/nn/bias-elu.js';
import { setEmbeddingFolding, setPlainFirstProduct } from '../packages/engine/src/nn/scalar-embedding.js';
import { setSingleVariableShortcut } from '../packages/engine/src/nn/variable-selection.js';

/** The switches, each turning one speed change on or off. */
const TFT_SPEED_SWITCHES = {
  'embedding-fold': setEmbeddingFolding,
  'single-variable': setSingleVariableShortcut,
  'separate-kv': setSeparateKeyValueProducts,
  'plain-first-product': setPlainFirstProduct,
  'bias-elu': setFusedBiasElu,
  'split-input-gate': setSplitInputGate,
  // This session's switches at once, for their combined effect.
  combined: (on: boolean) => {
    setSeparateKeyValueProducts(on);
    setPlainFirstProduct(on);
    setFusedBiasElu(on);
    setSplitInputGate(on);
  },
} as const satisfies Record<string, (on: boolean) => void>;

const switchName = flag('switch', '');
const setSwitch = TFT_SPEED_SWITCHES[switchName as keyof typeof TFT_SPEED_SWITCHES];
if (!setSwitch)
  throw new Error(
    `--switch must be one of ${Object.keys(TFT_SPEED_SWITCHES).join(', ')}, got '${switchName}'`,
  );
const rounds = numberFlag('rounds', 5);
const steps = numberFlag('steps', 1);
const B = numberFlag('batch', 1024);

await setBackend('wasm');
enableNativeMatmul(has('blas-threads') ? { threads: numberFlag('blas-threads', 2) } : {});
const { network, step } = yardstickStep(
  MODELS.tft,
  MODELS.tft.configSchema.parse({ hidden_size: numberFlag('hidden', 128) }),
  B,
);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const times = {
  on: { wall: [] as number[], cpu: [] as number[] },
  off: { wall: [] as number[], cpu: [] as number[] },
};
let maxLossDiff = 0;
for (const on of [true, false]) {
  setSwitch(on);
  step(0); // warm-up: kernels compiled, heap grown
}
for (let r = 0; r < rounds; r++) {
  const losses: Record<string, number[]> = { on: [], off: [] };
  for (const on of r % 2 ? [false, true] : [true, false]) {
    setSwitch(on);
    const arm = on ? 'on' : 'off';
    for (let s = 0; s < steps; s++) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      losses[arm]!.push(step(s));
      const c = process.cpuUsage(c0);
      times[arm].wall.push(performance.now() - t0);
      times[arm].cpu.push((c.user + c.system) / 1000);
    }
  }
  losses.on!.forEach((l, i) => (maxLossDiff = Math.max(maxLossDiff, Math.abs(l - losses.off![i]!))));
  console.log(
    `round ${r}: on ${times.on.wall.slice(-steps).map((t) => t.toFixed(0))} ms, off ${times.off.wall.slice(-steps).map((t) => t.toFixed(0))} ms`,
  );
}
setSwitch(true);
// Round r's on/off ratio: its two arms ran seconds apart, under about the same load.
const paired = (key: 'wall' | 'cpu'): number =>
  median(
    Array.from({ length: rounds }, (_, r) => {
      const sum = (xs: number[]) => xs.slice(r * steps, (r + 1) * steps).reduce((a, b) => a + b, 0);
      return sum(times.on[key]) / sum(times.off[key]);
    }),
  );
const row = (arm: 'on' | 'off') =>
  `${arm.padEnd(3)} wall ${median(times[arm].wall).toFixed(0)} ms/step, cpu ${median(times[arm].cpu).toFixed(0)} ms/step`;
console.log(`${switchName}: ${rounds} rounds × ${steps} steps each way, medians`);
console.log(row('on'));
console.log(row('off'));
console.log(
  `on/off wall ${(median(times.on.wall) / median(times.off.wall)).toFixed(3)}, cpu ${(median(times.on.cpu) / median(times.off.cpu)).toFixed(3)}; median of the rounds' paired ratios: wall ${paired('wall').toFixed(3)}, cpu ${paired('cpu').toFixed(3)}`,
);
console.log(
  `max |Δloss| ${maxLossDiff.toExponential(2)}; load ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
network.dispose();
