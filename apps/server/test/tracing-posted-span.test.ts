/**
 * A compute thread's spans reach the main thread's exporter as plain data (issue 16: no export on
 * the run's path): a span posted (and cloned, as a thread message is) and revived under the main
 * thread's resource serializes to the OTLP request a collector decodes to the same span.
 */
import {
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { expect, test } from 'vitest';
import { postSpan, revivePostedSpan } from '../src/tracing/posted-span.js';
import { decodeTraceRequest } from './otlp-receiver.js';

test('a posted span survives a thread message and exports as the span it was', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=value'),
  });
  const span = provider
    .getTracer('@nflab/runner')
    .startSpan(
      'run compute',
      { kind: SpanKind.INTERNAL, attributes: { 'nflab.run.id': 'r1', 'nflab.n': 3 } },
      parent,
    );
  span.addEvent('fitted', { trial: 1 });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'diverged' });
  span.end();
  const [ended] = exporter.getFinishedSpans();
  if (ended === undefined) throw new Error('no span ended');

  const resource = resourceFromAttributes({ 'service.name': 'nflab' });
  const revived = revivePostedSpan(structuredClone(postSpan(ended)), resource);
  expect(revived.spanContext()).toMatchObject({
    traceId: ended.spanContext().traceId,
    spanId: ended.spanContext().spanId,
  });
  expect(revived.spanContext().traceState?.get('vendor')).toBe('value');
  expect(revived.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  expect(revived.resource).toBe(resource);
  expect(revived.events).toEqual(ended.events);
  expect(revived.status).toEqual({ code: SpanStatusCode.ERROR, message: 'diverged' });

  const body = ProtobufTraceSerializer.serializeRequest([revived]);
  if (body === undefined) throw new Error('the span did not serialize');
  const [received] = decodeTraceRequest(Buffer.from(body));
  expect(received).toMatchObject({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: ended.spanContext().spanId,
    parentSpanId: 'b7ad6b7169203331',
    name: 'run compute',
    kind: 1,
    attributes: { 'nflab.run.id': 'r1', 'nflab.n': 3 },
    scope: '@nflab/runner',
    service: 'nflab',
  });
  await provider.shutdown();
});
