/**
 * A reader of Hugging Face's safetensors format: an unsigned 64-bit little-endian header length,
 * a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`, then the
 * raw little-endian tensor bytes (offsets relative to the end of the header). F32, F16 and BF16
 * tensors decode to float32. Written here rather than taken from npm: the one package named
 * `safetensors` is a 0.0.1 placeholder, and the format is a page long.
 * @see https://github.com/huggingface/safetensors#format
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { ConfigError } from '@nflab/contracts';

/** Element types the reader decodes, with their byte widths. */
export const SAFETENSORS_DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;

/** A decodable element type. */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** One tensor's header entry. */
export interface SafetensorsEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  /** [begin, end) byte offsets into the data section. */
  readonly dataOffsets: readonly [number, number];
}

/** A decoded float32 tensor. */
export interface FloatTensorData {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** An opened safetensors file: its header and a decoder of one tensor at a time. */
export interface SafetensorsFile {
  /** The file's path, for messages. */
  readonly path: string;
  /** Tensor names to header entries (`__metadata__` left out). */
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** Decodes tensor `name` to float32; a missing name or an undecodable dtype is a ConfigError naming the file. */
  read(name: string): FloatTensorData;
}

/** Largest header the reader accepts (the format's own limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/** Reads and checks the file at `path`; any defect is a ConfigError naming the file and what was expected. */
export function openSafetensors(path: string): SafetensorsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing
        ? `${path} does not exist; expected the model's weights there as a safetensors file`
        : `cannot read ${path}: ${(cause as Error).message}; expected a safetensors file`,
      { cause },
    );
  }
  return parseSafetensors(bytes, path);
}

/** Parses safetensors `bytes` read from `path` (the path only names the file in errors). */
export function parseSafetensors(bytes: Uint8Array, path: string): SafetensorsFile {
  const bad = (what: string): ConfigError =>
    new ConfigError(`${path} is not a valid safetensors file: ${what}`);
  if (bytes.length < 8) throw bad(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > bytes.length) {
    throw bad(`its header length ${headerBytes} does not fit in the file's ${bytes.length} bytes`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes)));
  } catch (cause) {
    throw new ConfigError(`${path} is not a valid safetensors file: its header is not JSON`, { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw bad('its header is not a JSON object');
  }
  const dataStart = 8 + headerBytes;
  const dataLength = bytes.length - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    entries.set(name, checkEntry(name, raw, dataLength, bad));
  }
  return {
    path,
    entries,
    read(name) {
      const entry = entries.get(name);
      if (!entry) throw new ConfigError(`${path} has no tensor '${name}'`);
      if (!Object.hasOwn(SAFETENSORS_DTYPES, entry.dtype)) {
        throw new ConfigError(
          `${path}: tensor '${name}' has dtype ${entry.dtype}; supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`,
        );
      }
      const [begin, end] = entry.dataOffsets;
      const raw = bytes.subarray(dataStart + begin, dataStart + end);
      return { shape: entry.shape, values: decode(raw, entry.dtype as SafetensorsDtype) };
    },
  };
}

/** Bytes per element of the dtypes the format defines (so sizes are checked even for dtypes we do not decode). */
const ALL_DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

function checkEntry(
  name: string,
  raw: unknown,
  dataLength: number,
  bad: (what: string) => ConfigError,
): SafetensorsEntry {
  const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  const shape = entry?.shape;
  const offsets = entry?.data_offsets;
  const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  if (
    typeof entry?.dtype !== 'string' ||
    !Array.isArray(shape) ||
    !shape.every(isCount) ||
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount)
  ) {
    throw bad(`tensor '${name}' needs { dtype: string, shape: int[], data_offsets: [begin, end] }`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    throw bad(`tensor '${name}' has data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes`);
  }
  const width = ALL_DTYPE_BYTES[entry.dtype];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (width !== undefined && end - begin !== count * width) {
    throw bad(
      `tensor '${name}' (${entry.dtype} [${shape.join(', ')}]) needs ${count * width} bytes, its offsets span ${end - begin}`,
    );
  }
  return { dtype: entry.dtype, shape: shape as number[], dataOffsets: [begin, end] };
}

/** Whether float32 arrays can view the file's little-endian bytes directly. */
const LITTLE_ENDIAN = endianness() === 'LE';

/** Little-endian `raw` of `dtype` to float32 values. */
function decode(raw: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(raw.byteLength / SAFETENSORS_DTYPES[dtype]);
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    // A copy of the bytes is 4-aligned whatever the tensor's offset in the file.
    return new Float32Array(new Uint8Array(raw).buffer);
  }
  if (dtype === 'F32') {
    for (let i = 0; i < out.length; i += 1) out[i] = view.getFloat32(4 * i, true);
  } else if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < out.length; i += 1) bits[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < out.length; i += 1) out[i] = halfToFloat(view.getUint16(2 * i, true));
  }
  return out;
}

/** IEEE 754 binary16 bits to a number (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
