/**
 * Renders a report page to PNG with headless Chromium, to look at what a reader sees:
 *   npm run screenshot -- REPORT.html [OUT.png]
 * Uses $CHROMIUM, else chromium or chromium-browser on PATH (Debian: apt-get install chromium).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import which from 'which';

const [page, out = page?.replace(/\.html?$/, '') + '.png'] = process.argv.slice(2);
if (!page) {
  process.stderr.write('usage: npm run screenshot -- REPORT.html [OUT.png]\n');
  process.exit(2);
}
const browser = process.env.CHROMIUM ?? (await which('chromium', { nothrow: true })) ?? (await which('chromium-browser', { nothrow: true }));
if (!browser) {
  process.stderr.write('screenshot: no chromium found (apt-get install chromium, or set $CHROMIUM)\n');
  process.exit(3);
}
const png = resolve(out!);
await execa(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1200,2200', pathToFileURL(resolve(page)).href], { stdio: 'inherit' });
process.stdout.write(`${png}\n`);
