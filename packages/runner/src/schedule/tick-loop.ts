/**
 * Calls an async tick now and then again `intervalMs` after each one ends (never two at once);
 * `close` stops the loop and waits for the tick in progress. The monitors' scheduler and the
 * run exporter both tick this way.
 */
export class TickLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts ticking (the first tick at once); a second call does nothing. */
  start(): void {
    if (this.closed || this.timer !== null || this.running !== null) return;
    const loop = (): void => {
      this.running = this.tick()
        .then(
          () => undefined,
          (error: unknown) => this.onError(error),
        )
        .finally(() => {
          this.running = null;
          if (!this.closed) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  /** True once {@link close} was called: a long tick checks it between items. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops ticking and waits for a tick in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
