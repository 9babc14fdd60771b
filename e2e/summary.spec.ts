import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';

// The shift summary and Save Picture against a real host, broker and recording: Press 1 over its alarm
// limit shows in the summary as the machine longest in alarm, its line's shares are drawn and exported
// as CSV, and the picture saved is a PNG of the canvas's full drawing size with the plant in it.
let twinline: TwinlineUnderTest;
let publisher: ReturnType<typeof setInterval> | undefined;
const problems: string[] = [];

test.beforeAll(async () => {
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml');
  publisher = setInterval(() => {
    twinline.publisher.publish('e2e/press-1/temperature', JSON.stringify({ value: 95 }));
    twinline.publisher.publish('e2e/press-2/temperature', JSON.stringify({ value: 60 }));
  }, 200);
});

test.afterAll(async () => {
  clearInterval(publisher);
  await twinline?.stop();
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

test('the shift summary lists the machine in alarm and exports CSV; Save Picture downloads the full-size view', async ({ page }) => {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);

  await page.getByRole('button', { name: 'Summary' }).click();
  const panel = page.getByRole('region', { name: 'Shift summary' });
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(/(Early|Late|Night) shift/);
  // The recording commits once a second: read again until Press 1's time in alarm is in it.
  const press1 = panel.locator('[data-summary-machine="0"]');
  await expect(async () => {
    await panel.getByRole('button', { name: '↻' }).click();
    await expect(press1).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(press1).toContainText('Press 1');
  await expect(panel.locator('[data-summary-machine="1"]')).toHaveCount(0);
  await expect(panel.locator('[data-summary-line="Press shop/Line A"] [data-state="alarm"]')).toBeVisible();
  await expect(panel.locator('[data-summary-line="Utilities/Water"]')).toBeVisible();

  const csvDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv).toMatch(/^area,line,machines,ok %,warn %,alarm %/m);
  // Press 1 was in alarm and Press 2 ok from their first samples: the alarm share of their line is near half.
  const alarmShare = Number(/^Press shop,Line A,2,[\d.]+,[\d.]+,([\d.]+),/m.exec(csv)?.[1]);
  expect(alarmShare).toBeGreaterThan(30);
  expect(csv).toMatch(/^Press 1,[\d.]+,\d+\r$/m);

  await panel.getByRole('button', { name: 'Close the shift summary' }).click();
  const pictureDownload = page.waitForEvent('download');
  await page.keyboard.press('p');
  const picture = await pictureDownload;
  expect(picture.suggestedFilename()).toMatch(/^E2E-test-line-.*\.png$/);
  const image = PNG.sync.read(readFileSync((await picture.path())!));
  const canvasSize = await page.locator('.viewport canvas').evaluate((canvas: HTMLCanvasElement) => ({ width: canvas.width, height: canvas.height }));
  expect({ width: image.width, height: image.height }).toEqual(canvasSize);
  const colours = new Set<string>();
  for (let offset = 0; offset < image.data.length; offset += 4 * 97) colours.add(`${image.data[offset]! >> 3},${image.data[offset + 1]! >> 3},${image.data[offset + 2]! >> 3}`);
  expect(colours.size, 'distinct colours in the picture').toBeGreaterThan(20);
  expect(problems).toEqual([]);
});
