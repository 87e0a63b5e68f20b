/**
 * The PDF renderer with Debian's Chromium: a real PDF (its `%PDF-` magic), the first page as a PNG
 * in test-results/ to look at, the concurrency limit's 503 "busy", the timeout, and no network.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { LabError } from '@nflab/contracts';
import { page } from '../../src/reports/html.js';
import { PdfRenderer } from '../../src/reports/pdf.js';
import { lineChart } from '../../src/reports/svg.js';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = fileURLToPath(new URL('../../../../test-results/', import.meta.url));

const HTML = page({
  title: 'PDF test report',
  subtitle: 'made by pdf.test.ts',
  body: `<section class="verdict no"><h2>Beats chance: no</h2></section>${lineChart({
    title: 'chart',
    x: ['a', 'b', 'c', 'd'],
    series: [{ name: 'actual', color: '#1c7ed6', y: [1, 3, 2, 4] }],
  })}`,
});

describe.runIf(existsSync(CHROMIUM))('PDF reports through Chromium', () => {
  test('makes a real PDF and a PNG of its first page (test-results/report-first-page.png)', async () => {
    const renderer = new PdfRenderer();
    const pdf = await renderer.pdf(HTML);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdf.byteLength).toBeGreaterThan(1000);
    const png = await renderer.png(HTML);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}report-first-page.png`, png);
    writeFileSync(`${RESULTS}report.pdf`, pdf);
  }, 120_000);

  test('past its queue the renderer answers 503 busy with a retry-after; a slow render times out', async () => {
    const renderer = new PdfRenderer({ concurrency: 1, queue: 0, timeoutMs: 60_000 });
    const first = renderer.pdf(HTML);
    const second = renderer.pdf(HTML).catch((error: unknown) => error);
    const refused = await second;
    expect(refused).toBeInstanceOf(LabError);
    expect(refused).toMatchObject({ code: 'unavailable', status: 503, retryAfterSeconds: 5 });
    await first;
    // Once the first is done, the slot is free again.
    expect((await renderer.pdf(HTML)).byteLength).toBeGreaterThan(1000);
    const hasty = new PdfRenderer({ timeoutMs: 1 });
    await expect(hasty.pdf(HTML)).rejects.toMatchObject({ code: 'unavailable', message: /longer than 1 ms/ });
  }, 120_000);

  test('the page reaches no network: a report that names a remote image renders without it', async () => {
    const renderer = new PdfRenderer({ timeoutMs: 30_000 });
    // Were the request not aborted, 'load' would wait on it; an aborted one ends at once.
    const started = Date.now();
    const pdf = await renderer.pdf('<!doctype html><p>x</p><img src="http://10.255.255.1/x.png">');
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 60_000);
});

test('a missing Chromium is a 503 naming the path, before any launch', async () => {
  const renderer = new PdfRenderer({ executablePath: '/nonexistent/chromium' });
  await expect(renderer.pdf(HTML)).rejects.toMatchObject({
    code: 'unavailable',
    message: expect.stringContaining('/nonexistent/chromium'),
  });
});
