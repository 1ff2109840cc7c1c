import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does): tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why the browser tests of `scope` cannot run here, or undefined when Debian's chromium
 * and playwright-core are both installed. A reason is also printed as a loud warning, as
 * {@link skipWithout} does for the command-line judges.
 */
export async function skipWithoutBrowser(scope: string): Promise<string | undefined> {
  const missing: string[] = [];
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch {
    missing.push(`${CHROMIUM} not installed (Debian: apt-get install chromium)`);
  }
  try {
    await import('playwright-core');
  } catch {
    missing.push('playwright-core not installed (npm ci installs it as a devDependency)');
  }
  if (missing.length === 0) return undefined;
  const reason = missing.join('; ');
  console.warn(`SKIPPED ${scope}: ${reason}`);
  return reason;
}

/**
 * A headless chromium with a fresh profile that talks to nothing but the pages it is sent
 * to (no sync, no component updates, no QUIC). `close()` also removes the profile.
 */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
