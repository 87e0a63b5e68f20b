/**
 * HTML to PDF through the headless Chromium the lab already drives in its browser tests
 * (playwright-core with Debian's /usr/bin/chromium). Bounded: at most `concurrency` renders at
 * once (a Chromium is a few hundred MB), a short queue beyond that answered 503 "busy", and a
 * timeout on each render. A missing Chromium is a clear 503 naming the path and the package.
 * The page gets no network: every request it tries is aborted, so a report renders the same
 * offline as on line and can never fetch anything.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError } from '@nflab/contracts';
import type { BrowserContext, Page } from 'playwright-core';

/** Options of {@link PdfRenderer}. */
export interface PdfOptions {
  /** @default '/usr/bin/chromium' or NFLAB_CHROMIUM */
  readonly executablePath?: string;
  /** Renders at once. @default 1 */
  readonly concurrency?: number;
  /** Renders waiting beyond the running ones before new ones are refused. @default 4 */
  readonly queue?: number;
  /** Longest one render may take, launch included. @default 60_000 */
  readonly timeoutMs?: number;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Default Chromium: the environment's NFLAB_CHROMIUM, else Debian's. */
export const defaultChromium = (): string => process.env['NFLAB_CHROMIUM'] ?? '/usr/bin/chromium';

/** Renders report HTML to PDF bytes (and, for tests and previews, a page to PNG). */
export class PdfRenderer {
  readonly executablePath: string;
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private readonly timeoutMs: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: PdfOptions = {}) {
    this.executablePath = options.executablePath ?? defaultChromium();
    this.concurrency = options.concurrency ?? 1;
    this.queueLimit = options.queue ?? 4;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The PDF of `html` (A4, backgrounds printed). */
  async pdf(html: string): Promise<Uint8Array> {
    return this.withPage(
      html,
      async (page) =>
        new Uint8Array(
          await page.pdf({
            format: 'A4',
            printBackground: true,
            margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
          }),
        ),
    );
  }

  /** A PNG of the first screenful of `html` as printed (what the PDF's first page shows). */
  async png(html: string): Promise<Uint8Array> {
    return this.withPage(html, async (page) => {
      await page.emulateMedia({ media: 'print' });
      return new Uint8Array(await page.screenshot({ type: 'png' }));
    });
  }

  private async withPage<T>(html: string, use: (page: Page) => Promise<T>): Promise<T> {
    await this.ensureChromium();
    await this.acquire();
    const profile = await mkdtemp(join(tmpdir(), 'nflab-report-pdf-'));
    let context: BrowserContext | undefined;
    let timer: NodeJS.Timeout | undefined;
    let work: Promise<T> | undefined;
    try {
      work = (async () => {
        const { chromium } = await import('playwright-core');
        context = await chromium.launchPersistentContext(profile, {
          executablePath: this.executablePath,
          args: CHROMIUM_ARGS,
          headless: true,
          viewport: { width: 1000, height: 1400 },
          timeout: this.timeoutMs,
        });
        const page = await context.newPage();
        page.setDefaultTimeout(this.timeoutMs);
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return use(page);
      })();
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new UnavailableError(
                `PDF rendering took longer than ${this.timeoutMs} ms and was stopped; try HTML`,
              ),
            ),
          this.timeoutMs,
        );
      });
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      // Timed out mid-launch: close the browser once the launch ends, not never.
      if (context === undefined)
        void work?.then(
          () => context?.close(),
          () => undefined,
        );
      await context?.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
      this.release();
    }
  }

  private async ensureChromium(): Promise<void> {
    try {
      await access(this.executablePath, constants.X_OK);
    } catch {
      throw new UnavailableError(
        `PDF reports need Chromium at ${this.executablePath} (Debian package 'chromium', or set NFLAB_CHROMIUM); it is not there — make an HTML report instead`,
      );
    }
  }

  private async acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return;
    }
    if (this.waiting.length >= this.queueLimit)
      throw new UnavailableError(
        `the PDF renderer is busy (${this.running} rendering, ${this.waiting.length} waiting); try again shortly`,
        5,
      );
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter; only with none waiting does it free up.
    if (next === undefined) this.running -= 1;
    else next();
  }
}
