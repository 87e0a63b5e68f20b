/** Debian's Chromium driven by playwright-core, with helpers the e2e tests share. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ACCOUNTS, type AccountRole } from './lab.js';

/** Screenshots land here (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with its own fresh profile folder. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly close: () => Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir and a laptop-sized viewport (1366×768). */
export const launchBrowser = async (): Promise<TestBrowser> => {
  const profile = mkdtempSync(join(tmpdir(), 'nflab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
    timezoneId: 'Asia/Tokyo',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/** Opens the app and signs in as `role`; resolves on the data page. */
export const signIn = async (context: BrowserContext, origin: string, role: AccountRole): Promise<Page> => {
  // One profile serves every test: drop the previous test's session so /login shows the form.
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${origin}/login`);
  await page.getByTestId('login-username').fill(ACCOUNTS[role].username);
  await page.getByTestId('login-password').fill(ACCOUNTS[role].password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
};

/** Saves a full-page screenshot as `<name>.png` in the artifacts folder. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
};

/**
 * Count of non-transparent pixels in the chart's canvas(es) under `testId`; waits until the
 * chart has drawn something (ECharts draws on the next animation frame).
 */
export const canvasInk = async (page: Page, testId: string): Promise<number> => {
  const locator = page.getByTestId(testId);
  await locator.locator('canvas').first().waitFor();
  const handle = await page.waitForFunction((id) => {
    const canvases = document.querySelectorAll<HTMLCanvasElement>(`[data-testid="${id}"] canvas`);
    let ink = 0;
    for (const canvas of canvases) {
      const context = canvas.getContext('2d');
      if (context === null || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) ink += 1;
    }
    return ink > 0 ? ink : false;
  }, testId);
  return (await handle.jsonValue()) as number;
};

export type { Page };
