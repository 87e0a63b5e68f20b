/**
 * An in-process A/B of one engine switch on a model's training step at the zoo yardstick (as
 * transformer-profile.ts builds it): rounds of `--steps` steps with the switch on, then off,
 * interleaved, and the median wall and CPU ms/step of each side — robust to the load of a shared
 * machine, where runs minutes apart are not comparable.
 *   npx tsx bench/switch-ab.ts --model fedformer --switch complex-tanh [--rounds 5] [--steps 2] [--batch 1024] [--blas-threads 2]
 */
import { setComplexTanhKernelEnabled } from '../packages/engine/src/backend/complex-tanh-kernel.js';
import { setRowwiseConcat } from '../packages/engine/src/backend/wasm-concat.js';
import { setWasmDropoutMask } from '../packages/engine/src/nn/dropout-mask.js';
import { setFusedSoftmaxBackward } from '../packages/engine/src/nn/scaled-softmax.js';
import { enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import type { UnivariateModelSpec } from '../packages/engine/src/model/types.js';
import { MODELS } from '../packages/engine/src/models/registry.js';
import { setUnreadProjectionsSkipped } from '../packages/engine/src/nn/attention.js';
import { setSeasonalByResidual } from '../packages/engine/src/nn/series-decomp.js';
import { flag, numberFlag } from './lib/args.js';
import { yardstickStep } from './lib/yardstick-step.js';

/** The switches an A/B can flip, by name. */
const SWITCHES: Record<string, (on: boolean) => void> = {
  'complex-tanh': setComplexTanhKernelEnabled,
  'skip-unread': setUnreadProjectionsSkipped,
  'seasonal-residual': setSeasonalByResidual,
  'rowwise-concat': setRowwiseConcat,
  'wasm-dropout-mask': setWasmDropoutMask,
  'fused-softmax-backward': setFusedSoftmaxBackward,
};

// 'all': every switch above at once.
SWITCHES.all = (on) => Object.entries(SWITCHES).forEach(([name, flip]) => name !== 'all' && flip(on));
const switchName = flag('switch', 'complex-tanh');
const flip = SWITCHES[switchName];
if (!flip) throw new Error(`--switch: one of ${Object.keys(SWITCHES).join(', ')}, got ${switchName}`);
const rounds = numberFlag('rounds', 5);
const steps = numberFlag('steps', 2);
const B = numberFlag('batch', 1024);
const model = flag('model', 'fedformer') as keyof typeof MODELS;
// The attention models are univariate; the registry's union of config types does not narrow by id.
const spec = MODELS[model] as unknown as UnivariateModelSpec;

await setBackend('wasm');
// --blas-threads 1: CPU figures without OpenBLAS workers spinning while they wait (on a loaded
// machine their spin time swamps what a switch changes).
enableNativeMatmul({ threads: numberFlag('blas-threads', 2) });
const { network, step } = yardstickStep(spec, spec.configSchema.parse({}), B);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const samples = {
  on: { wall: [] as number[], cpu: [] as number[] },
  off: { wall: [] as number[], cpu: [] as number[] },
};
const losses = { on: 0, off: 0 };
for (const side of ['on', 'off'] as const) {
  flip(side === 'on');
  losses[side] = step(0); // warm-up (heap growth, first compilations), and the same seed's loss both ways
}
for (let r = 0; r < rounds; r++) {
  for (const side of r % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    flip(side === 'on');
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    for (let s = 0; s < steps; s++) step(s + 1);
    const c = process.cpuUsage(c0);
    samples[side].wall.push((performance.now() - t0) / steps);
    samples[side].cpu.push((c.user + c.system) / 1000 / steps);
  }
}
flip(true);
for (const side of ['on', 'off'] as const)
  console.log(
    `${switchName} ${side.padEnd(3)}: median ${median(samples[side].wall).toFixed(0)} ms/step wall, ${median(samples[side].cpu).toFixed(0)} ms/step cpu (walls ${samples[side].wall.map((v) => v.toFixed(0)).join(' ')}); loss at step 0 ${losses[side]}`,
  );
network.dispose();
