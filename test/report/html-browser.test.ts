import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html';
import { findChromium } from '../helpers/chromium';
import { sampleReport } from './sample-report';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the HTML report in a real headless Chromium', () => {
  const report = sampleReport();
  let dir: string;
  let context: BrowserContext | undefined;
  let file: string;

  beforeAll(async () => {
    const browser = await findChromium();
    dir = mkdtempSync(path.join(tmpdir(), 'dws-report-'));
    file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(report));
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: browser.path,
      headless: true,
      args: ARGS,
      viewport: { width: 1200, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the timeline with every phase, runs no injected markup, and renders to a PNG screenshot', async () => {
    const page = await context!.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const timeline = page.locator('#timeline');
    expect(await timeline.isVisible()).toBe(true);
    const box = await timeline.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(100);
    const text = await timeline.innerText();
    for (const entry of report.timeline) {
      expect(text).toContain(entry.phase);
      expect(await page.locator(`#timeline li[data-phase="${entry.phase}"]`).isVisible()).toBe(true);
    }
    expect(await page.locator('.timeline-bar').isVisible()).toBe(true);
    expect(await page.locator('#approval').innerText()).toContain('alice.sre');

    // The reason's <script> and <img onerror> are text on the page, never elements.
    expect(await page.title()).toBe('Failover of DR dw-prod-dr — failed-over');
    expect(await page.locator('script, img').count()).toBe(0);
    expect(await page.locator('#summary').innerText()).toContain('<script>document.title="pwned"</script>');
    expect(dialogs).toEqual([]);

    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(900); // the full page is taller than the viewport
  }, 120_000);
});
