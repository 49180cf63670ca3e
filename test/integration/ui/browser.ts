// Headless Chromium for UI tests: Debian's `chromium` package driven by playwright-core (no browser download).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package (installed by .ci/run) puts its launcher. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google services, which on a machine with no
// internet floods the network with doomed connections; QUIC and sandboxing are off because CI runs as root in a VM.
const LAUNCH_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the UI tests cannot run here, or undefined when they can. */
export function chromiumUnavailableReason(): string | undefined {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  return `Temporal UI browser test skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's package: apt-get install -y chromium)`;
}

export type HeadlessBrowser = { context: BrowserContext; close(): Promise<void> };

/** A fresh profile per launch, so no cookies, cache or saved UI views leak between runs. */
export async function launchHeadlessChromium(): Promise<HeadlessBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: LAUNCH_FLAGS,
    viewport: { width: 1600, height: 1000 },
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
