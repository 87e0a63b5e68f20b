/**
 * Registers TensorFlow.js's gradient functions in any runtime. tfjs-core ships them only as ESM
 * files with bundler-style extensionless imports (`./gradients/Abs_grad`), which plain Node
 * refuses; its CommonJS main registers none. A resolve hook that retries such imports with `.js`
 * (or `/index.js`), limited to files inside `@tensorflow/`, makes them loadable. Copies of
 * tfjs-core share their kernel and gradient registries through a global, so loading these ESM
 * files beside the CommonJS main registers the gradients for the engine the lab uses.
 */
import { register } from 'node:module';
import { registerReductionGradients } from './reduction-gradients.js';

const TFJS_RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTfjs = (context.parentURL ?? '').includes('/@tensorflow/');
    if (!fromTfjs || !specifier.startsWith('.')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw error;
  }
}`;

/** The hook as a module URL, for `module.register` in this thread or a worker's bootstrap. */
export const TFJS_RESOLVE_HOOK_URL = `data:text/javascript,${encodeURIComponent(TFJS_RESOLVE_HOOK)}`;

let registered: Promise<void> | undefined;

/** Loads tfjs-core's gradient registrations once per thread; safe to await many times. */
export const registerGradients = (): Promise<void> => {
  registered ??= (async () => {
    register(TFJS_RESOLVE_HOOK_URL);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    // After tfjs-core's registrations, which these replace.
    registerReductionGradients();
  })();
  return registered;
};
