/**
 * withSharedMemoryImport: the kernels module's memory import rewritten to `shared` so a worker can
 * run it over a shared WebAssembly.Memory. A hand-written module with every other kind of import
 * (function, table, global) around the memory checks the rewrite keeps them, and the kernels
 * module itself then instantiates over a shared memory, which the original refuses.
 */
import { Buffer } from 'node:buffer';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { KERNELS_WASM_BASE64 } from '../src/backend/simd/kernels-binary.js';
import { SHARED_MEMORY_MAX_PAGES, withSharedMemoryImport } from '../src/backend/simd/shared-memory-import.js';

// The slice of the WebAssembly JS API used here; the project's lib (no DOM) does not declare it.
interface WasmModule {
  readonly brand: 'module';
}
interface WasmJs {
  Module: (new (bytes: Uint8Array) => WasmModule) & {
    imports(module: WasmModule): { name: string; kind: string }[];
  };
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: object) => { buffer: ArrayBufferLike };
  Table: new (d: object) => object;
  Global: new (d: object, value: number) => object;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmJs }).WebAssembly;

const SOURCE = `(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "table" (table 2 funcref))
  (import "env" "memory" (memory 3 10))
  (import "env" "base" (global $base i32))
  (func (export "store") (param $v i32)
    (i32.store (global.get $base) (local.get $v))
    (call $log (local.get $v))))`;

describe('withSharedMemoryImport', () => {
  it('declares the memory import shared and keeps the other imports and the code', async () => {
    const wabt = await wabtInit();
    const parsed = wabt.parseWat('t.wat', SOURCE, {});
    const bytes = new Uint8Array(parsed.toBinary({}).buffer);
    parsed.destroy();
    const patched = withSharedMemoryImport(bytes);
    const module = new WebAssembly.Module(patched);
    expect(WebAssembly.Module.imports(module).map((i) => `${i.name}:${i.kind}`)).toEqual([
      'log:function',
      'table:table',
      'memory:memory',
      'base:global',
    ]);
    const memory = new WebAssembly.Memory({ initial: 3, maximum: SHARED_MEMORY_MAX_PAGES, shared: true });
    const logged: number[] = [];
    const imports = {
      env: {
        log: (v: number) => logged.push(v),
        table: new WebAssembly.Table({ initial: 2, element: 'anyfunc' }),
        memory,
        base: new WebAssembly.Global({ value: 'i32', mutable: false }, 64),
      },
    };
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), imports)).toThrow();
    const store = new WebAssembly.Instance(module, imports).exports.store as (v: number) => void;
    store(1234);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(new Int32Array(memory.buffer)[16]).toBe(1234);
    expect(logged).toEqual([1234]);
  });

  it('makes the kernels module instantiable over a shared memory', () => {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 100, shared: true });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })).toThrow();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(withSharedMemoryImport(bytes)), {
      env: { memory },
    });
    expect(Object.keys(instance.exports)).toContain('lstmForwardStep');
  });
});
