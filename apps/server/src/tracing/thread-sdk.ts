/**
 * A compute thread's OpenTelemetry SDK (the runner's compute thread imports this module by URL:
 * see ThreadTracing.module): a tracer provider whose spans continue the traceparent a job carries,
 * kept in memory until the job ends and then posted to the main thread with the job's last
 * message, where the process's own exporter sends them in the background. So the thread loads no
 * exporter, opens no connection and waits for no flush on the run's path, and a thread terminated
 * between runs holds no unexported spans.
 */
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { postSpan, type PostedSpan } from './posted-span.js';

/**
 * Ended spans a thread holds between two drains, at most (more are dropped, as a batch span
 * processor drops past its queue): a run's thread makes one span, so this is a bound on a bug.
 */
const MAX_HELD_SPANS = 2048;

/** Keeps ended spans, as plain data, until they are drained. */
class HoldingSpanProcessor implements SpanProcessor {
  private held: PostedSpan[] = [];

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.held.length < MAX_HELD_SPANS) this.held.push(postSpan(span));
  }

  /** The spans ended since the last drain. */
  drain(): PostedSpan[] {
    const spans = this.held;
    this.held = [];
    return spans;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Starts this thread's tracer provider (once per thread); `drain` hands over its ended spans. */
export const startThreadTracing = (): Promise<{ readonly drain: () => readonly PostedSpan[] }> => {
  const holder = new HoldingSpanProcessor();
  // Registered as the thread's global provider, with an AsyncLocalStorage context manager (spans
  // started inside the run's span nest under it) and the W3C trace-context propagator.
  new NodeTracerProvider({ spanProcessors: [holder] }).register();
  return Promise.resolve({ drain: () => holder.drain() });
};
