/**
 * Launches Debian's chromium for browser tests (HTML reports, the docs site) the way these
 * machines need it: the system binary (never a downloaded one), headless, no sandbox (CI runs as
 * root), no background networking (the network is closed), a fresh profile.
 * @packageDocumentation
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The path of Debian's chromium, or undefined when it is not installed.
 * @returns `command -v chromium` (or chromium-browser).
 */
export function findChromium(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The chromium found at import time; tests use it with `it.skipIf(!chromiumPath)`. */
export const chromiumPath: string | undefined = findChromium();

/** The message a skipped browser test prints. */
export function warnIfNoChromium(what: string): void {
  if (!chromiumPath) console.warn(`${what} skipped: Debian chromium is not installed (apt-get install chromium)`);
}

/**
 * Starts headless chromium with a fresh profile, removed again when the context is closed.
 * @param viewport - Page size.
 * @param extraArgs - Further chromium flags (e.g. a fake microphone: `--use-fake-device-for-media-stream`).
 * @returns The browser context; close it when done (that also removes its profile folder).
 * @throws Error when chromium is not installed (guard the test with `chromiumPath`).
 */
export async function openBrowser(
  viewport = { width: 1100, height: 900 },
  extraArgs: readonly string[] = [],
): Promise<BrowserContext> {
  if (!chromiumPath) throw new Error('Debian chromium is not installed (apt-get install chromium).');
  const profile = await mkdtemp(join(tmpdir(), 'asrq-chromium-'));
  const removeProfile = () => rm(profile, { recursive: true, force: true, maxRetries: 3 });
  const context = await launch(profile, viewport, extraArgs).catch(async (error: unknown) => {
    await removeProfile();
    throw error;
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    try {
      await close(options);
    } finally {
      await removeProfile();
    }
  };
  return context;
}

function launch(profile: string, viewport: { width: number; height: number }, extraArgs: readonly string[]) {
  return chromium.launchPersistentContext(profile, {
    ...(chromiumPath ? { executablePath: chromiumPath } : {}),
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * Collects console errors and uncaught page errors, for asserting a page loads cleanly.
 * @param page - A page.
 * @returns The live list of error messages.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
