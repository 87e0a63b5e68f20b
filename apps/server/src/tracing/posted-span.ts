/**
 * Spans a compute thread ends, posted to the main thread as plain data: a ReadableSpan carries
 * methods (spanContext) and class instances (TraceState, its Resource) that a thread message
 * cannot clone, so they cross as strings and plain objects and are rebuilt on the other side.
 */
import { createTraceState, type Link, type SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A span context as a thread message carries it: its trace state serialized. */
interface PostedContext extends Omit<SpanContext, 'traceState'> {
  readonly traceState?: string;
}

/** One ended span as a thread message carries it (no resource: the receiving process adds its own). */
export interface PostedSpan extends Omit<
  ReadableSpan,
  'spanContext' | 'parentSpanContext' | 'links' | 'resource'
> {
  readonly spanContext: PostedContext;
  readonly parentSpanContext?: PostedContext;
  readonly links: readonly (Omit<Link, 'context'> & { readonly context: PostedContext })[];
}

const postContext = ({ traceState, ...rest }: SpanContext): PostedContext => ({
  ...rest,
  ...(traceState === undefined ? {} : { traceState: traceState.serialize() }),
});

const reviveContext = ({ traceState, ...rest }: PostedContext): SpanContext => ({
  ...rest,
  ...(traceState === undefined ? {} : { traceState: createTraceState(traceState) }),
});

/** `span` as plain data a thread can post. */
export const postSpan = (span: ReadableSpan): PostedSpan => ({
  name: span.name,
  kind: span.kind,
  spanContext: postContext(span.spanContext()),
  ...(span.parentSpanContext === undefined ? {} : { parentSpanContext: postContext(span.parentSpanContext) }),
  startTime: span.startTime,
  endTime: span.endTime,
  duration: span.duration,
  ended: span.ended,
  status: span.status,
  attributes: span.attributes,
  links: span.links.map((link) => ({ ...link, context: postContext(link.context) })),
  events: span.events,
  instrumentationScope: span.instrumentationScope,
  droppedAttributesCount: span.droppedAttributesCount,
  droppedEventsCount: span.droppedEventsCount,
  droppedLinksCount: span.droppedLinksCount,
});

/** A posted span as a span processor of this process takes it, under this process's `resource`. */
export const revivePostedSpan = (span: PostedSpan, resource: Resource): ReadableSpan => {
  const { spanContext: posted, parentSpanContext: parent, links, ...rest } = span;
  const spanContext = reviveContext(posted);
  return {
    ...rest,
    spanContext: () => spanContext,
    ...(parent === undefined ? {} : { parentSpanContext: reviveContext(parent) }),
    links: links.map((link) => ({ ...link, context: reviveContext(link.context) })),
    resource,
  };
};
