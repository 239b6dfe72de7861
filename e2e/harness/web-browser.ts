import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's chromium, headless, driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
}
