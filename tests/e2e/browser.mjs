// Debian's Chromium under playwright-core for the browser tests: a throwaway profile, no
// network beyond what a page asks for, no first-run or background traffic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pw from 'playwright-core';

// Returns { context, close }; close() ends the browser and removes its profile.
export async function launchBrowser(name) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `piaudit-${name}-profile-`));
  const context = await pw.chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
