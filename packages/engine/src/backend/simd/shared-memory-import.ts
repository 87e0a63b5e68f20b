/**
 * The kernels module with its imported memory declared `shared`, so a second thread can run the
 * same kernels over a `WebAssembly.Memory({ shared: true })` that the main thread also reads and
 * writes (the recurrent loops' row split, recurrent/split-loops.ts). A module whose import is not
 * declared shared cannot be instantiated over a shared memory, and only the import's limits differ
 * between the two, so this rewrites those few bytes of the binary kernels.wat compiles to rather
 * than shipping a second 20 kB module.
 *
 * Binary format (WebAssembly core spec §5.5): sections are `id, size (LEB128), payload`; the import
 * section (id 2) holds `count` entries `module name, field name, kind, description`, where a memory's
 * description is its limits: flag 0 (min) or 1 (min, max); 3 means min, max, shared.
 */

const IMPORT_SECTION = 2;
/** Import kinds (the byte before an import's description). */
const ImportKind = { function: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;
const LIMITS_SHARED = 3;
/** The import's declared maximum: 65,536 pages (4 GiB), the most a 32-bit memory can have. */
export const SHARED_MEMORY_MAX_PAGES = 65_536;

/** An unsigned LEB128 at `at`: its value and the offset after it. */
const readLeb = (bytes: Uint8Array, at: number): [value: number, next: number] => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated WebAssembly module');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
};

const leb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
};

/** Skips a name (LEB128 length, then that many bytes). */
const skipName = (bytes: Uint8Array, at: number): number => {
  const [length, next] = readLeb(bytes, at);
  return next + length;
};

/** Skips limits (flag, min, and max when the flag says so). */
const skipLimits = (bytes: Uint8Array, at: number): number => {
  const flag = bytes[at]!;
  const [, afterMin] = readLeb(bytes, at + 1);
  return flag & 1 ? readLeb(bytes, afterMin)[1] : afterMin;
};

/** The import section's payload with every memory import's limits made shared. */
function sharedImports(payload: Uint8Array): Uint8Array {
  const [count, first] = readLeb(payload, 0);
  const out: number[] = Array.from(payload.subarray(0, first));
  let at = first;
  for (let i = 0; i < count; i++) {
    const start = at;
    at = skipName(payload, skipName(payload, at));
    const kind = payload[at++];
    out.push(...payload.subarray(start, at));
    if (kind === ImportKind.memory) {
      const [min, afterMin] = readLeb(payload, at + 1);
      out.push(LIMITS_SHARED, ...leb(min), ...leb(SHARED_MEMORY_MAX_PAGES));
      at = payload[at]! & 1 ? readLeb(payload, afterMin)[1] : afterMin;
      continue;
    }
    const descriptionStart = at;
    if (kind === ImportKind.function) at = readLeb(payload, at)[1];
    else if (kind === ImportKind.table) at = skipLimits(payload, at + 1);
    else if (kind === ImportKind.global) at += 2;
    else if (kind === ImportKind.tag) at = readLeb(payload, at + 1)[1];
    else throw new Error(`unknown import kind ${String(kind)}`);
    out.push(...payload.subarray(descriptionStart, at));
  }
  out.push(...payload.subarray(at));
  return Uint8Array.from(out);
}

/** `bytes` (a WebAssembly module) with its memory import declared shared, maximum 4 GiB. */
export function withSharedMemoryImport(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)]; // magic and version
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, payloadStart] = readLeb(bytes, at + 1);
    const payload = bytes.subarray(payloadStart, payloadStart + size);
    if (id === IMPORT_SECTION) {
      const rewritten = sharedImports(payload);
      parts.push(Uint8Array.from([id, ...leb(rewritten.length)]), rewritten);
    } else parts.push(bytes.subarray(at, payloadStart + size));
    at = payloadStart + size;
  }
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
