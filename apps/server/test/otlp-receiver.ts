/**
 * Test support: an in-process OTLP/HTTP trace receiver. It decodes the protobuf
 * ExportTraceServiceRequest the lab's exporter POSTs to /v1/traces — only the fields the trace
 * tests read (ids, parent, name, kind, times, string and int attributes, scope name) — with a
 * small reader of the protobuf wire format, and answers with an empty ExportTraceServiceResponse.
 * @see https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/trace/v1/trace.proto
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One received span. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The instrumentation scope that made it. */
  readonly scope: string;
  /** The resource's service.name. */
  readonly service: string;
}

type Field = { readonly number: number; readonly value: Buffer | bigint };

/** The fields of one protobuf message (wire types 0, 1, 2, 5). */
const fields = (buffer: Buffer): Field[] => {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[at++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buffer.length) {
    const key = Number(varint());
    const number = key >>> 3;
    switch (key & 7) {
      case 0:
        out.push({ number, value: varint() });
        break;
      case 1:
        out.push({ number, value: buffer.readBigUInt64LE(at) });
        at += 8;
        break;
      case 2: {
        const length = Number(varint());
        out.push({ number, value: buffer.subarray(at, at + length) });
        at += length;
        break;
      }
      case 5:
        out.push({ number, value: BigInt(buffer.readUInt32LE(at)) });
        at += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return out;
};

const bytesOf = (list: Field[], number: number): Buffer[] =>
  list.filter((f) => f.number === number && Buffer.isBuffer(f.value)).map((f) => f.value as Buffer);
const firstBytes = (list: Field[], number: number): Buffer => bytesOf(list, number)[0] ?? Buffer.alloc(0);
const firstNumber = (list: Field[], number: number): bigint => {
  const value = list.find((f) => f.number === number)?.value;
  return typeof value === 'bigint' ? value : 0n;
};

/** KeyValue list -> record (string, bool, int and double values). */
const attributesOf = (list: Field[], number: number): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of bytesOf(list, number).map(fields)) {
    const value = fields(firstBytes(kv, 2))[0];
    const key = firstBytes(kv, 1).toString('utf8');
    if (value === undefined) continue;
    if (value.number === 1 && Buffer.isBuffer(value.value)) out[key] = value.value.toString('utf8');
    else if (value.number === 2) out[key] = value.value === 1n;
    else if (value.number === 3) out[key] = Number(BigInt.asIntN(64, value.value as bigint));
    else if (value.number === 4) {
      const double = Buffer.alloc(8);
      double.writeBigUInt64LE(value.value as bigint);
      out[key] = double.readDoubleLE(0);
    }
  }
  return out;
};

/** Decodes an ExportTraceServiceRequest. */
export const decodeTraceRequest = (body: Buffer): ReceivedSpan[] => {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of bytesOf(fields(body), 1).map(fields)) {
    const resource = attributesOf(fields(firstBytes(resourceSpans, 1)), 1);
    for (const scopeSpans of bytesOf(resourceSpans, 2).map(fields)) {
      const scope = firstBytes(fields(firstBytes(scopeSpans, 1)), 1).toString('utf8');
      for (const span of bytesOf(scopeSpans, 2).map(fields)) {
        spans.push({
          traceId: firstBytes(span, 1).toString('hex'),
          spanId: firstBytes(span, 2).toString('hex'),
          parentSpanId: firstBytes(span, 4).toString('hex'),
          name: firstBytes(span, 5).toString('utf8'),
          kind: Number(firstNumber(span, 6)),
          startNs: firstNumber(span, 7),
          endNs: firstNumber(span, 8),
          attributes: attributesOf(span, 9),
          scope,
          service: String(resource['service.name'] ?? ''),
        });
      }
    }
  }
  return spans;
};

/** A receiver on 127.0.0.1; `url` is the OTLP endpoint to set as OTEL_EXPORTER_OTLP_ENDPOINT. */
export interface OtlpReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Requests that were not a decodable trace export (each answered 400). */
  readonly rejected: string[];
  readonly close: () => Promise<void>;
}

/** Starts a receiver. */
export const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const spans: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        if (request.method !== 'POST' || request.url !== '/v1/traces')
          throw new Error(`${request.method} ${request.url}`);
        if (request.headers['content-type'] !== 'application/x-protobuf')
          throw new Error(`content-type ${request.headers['content-type']}`);
        const raw = Buffer.concat(chunks);
        spans.push(
          ...decodeTraceRequest(request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw),
        );
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (error) {
        rejected.push(String(error));
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
