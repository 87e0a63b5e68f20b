/**
 * How a traced run's compute thread records spans without an exporter of its own: it imports a
 * module (given by the process that traces) that starts its SDK and holds the spans it ends; at
 * the end of each job it posts them to the main thread in one message, whose SDK exports them in
 * the background. So no export or flush is on the run's path, and a thread terminated between
 * runs holds no spans. The runner sees the spans as opaque, cloneable data.
 */

/** What a process that traces gives the run executor for its compute threads. */
export interface ThreadTracing {
  /** URL of the module (a {@link ThreadTracingModule}) a compute thread imports to start its SDK. */
  readonly module: string;
  /** Takes the spans a thread ended during a job (called on the main thread, must not block). */
  readonly exportSpans: (spans: readonly unknown[]) => void;
}

/** What a thread-tracing module exports. */
export interface ThreadTracingModule {
  /** Starts the thread's SDK (once per thread); `drain` returns the spans ended since the last call. */
  readonly startThreadTracing: () => Promise<{ readonly drain: () => readonly unknown[] }>;
}
