import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Locator, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { Recorder } from '../src-main/node/recording/recorder.ts';
import { openInTwinline, startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// The timeline against a recording longer than every zoom but the widest, so that each zoom shows a
// window narrower than the recording (where the strip used to re-centre under the pointer) as well as the whole.
const folder = temporaryFolder('twinline-timeline-');
const recordingStart = Date.UTC(2026, 10, 20, 6, 0, 0);
const recordingHours = 13;
const alarmAt = recordingStart + 6 * 3_600_000;
let twinline: Awaited<ReturnType<typeof openInTwinline>>;
// A live plant as well, for what the timeline does while live.
let live: TwinlineUnderTest;
let publishing: ReturnType<typeof setInterval> | undefined;

/** Thirteen hours of a small plant through the recorder API: a sample every 5 s, an alarm of two minutes in the middle. */
function makeRecording(): string {
  const plantFile = join(folder, 'plant.yaml');
  copyFileSync('e2e/fixtures/test-plant.yaml', plantFile);
  const plantText = readFileSync(plantFile, 'utf8');
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'long-shift.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press-1/temperature', 'press-2/temperature', 'pump-1/pressure'], brokerIds: ['default'] });
  recorder.recordConnection(0, true, recordingStart);
  let count = 0;
  for (let time = recordingStart; time <= recordingStart + recordingHours * 3_600_000; time += 5000) {
    const alarming = time >= alarmAt && time < alarmAt + 120_000;
    recorder.recordSample(0, alarming ? 97.25 : 55 + (count % 7), time);
    recorder.recordSample(1, 50, time);
    recorder.recordSample(2, 6, time);
    if (time === alarmAt) recorder.recordHealth(0, 3, time);
    if (++count % 200 === 0) recorder.commit();
  }
  recorder.close();
  rmSync(plantFile);
  return file;
}

test.beforeAll(async () => {
  twinline = await openInTwinline(makeRecording());
  live = await startTwinline('e2e/fixtures/test-plant.yaml');
  const publish = () => {
    live.publisher.publish('e2e/press-1/temperature', '{"value": 60}');
    live.publisher.publish('e2e/press-2/temperature', '{"value": 50}');
    live.publisher.publish('e2e/pump-1/state', '{"pressure": {"discharge": 6}}');
  };
  publish();
  publishing = setInterval(publish, 200);
});

test.afterAll(async () => {
  clearInterval(publishing);
  await live?.stop();
  await twinline?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline open output', { body: twinline.output(), contentType: 'text/plain' });
  if (live) await testInfo.attach('twinline serve output', { body: live.output(), contentType: 'text/plain' });
});

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const strip = (page: Page) => page.getByRole('slider', { name: 'Time' });
const shownTime = async (page: Page) => Number(await timeline(page).getAttribute('data-player-time'));

/** The window the strip shows, in epoch milliseconds, as the page says (both ends read at once: one round trip). */
async function shownWindow(slider: Locator): Promise<{ start: number; end: number }> {
  return slider.evaluate((element) => ({ start: Number(element.getAttribute('data-window-start')), end: Number(element.getAttribute('data-window-end')) }));
}

/** Opens the recording in a fresh page and waits until the strip is there. */
async function openTimeline(page: Page, errors: string[]): Promise<Locator> {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(twinline.url);
  await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay');
  const slider = strip(page);
  await expect(slider).toBeVisible();
  await expect(slider).toHaveAttribute('aria-valuemax', String(recordingStart + recordingHours * 3_600_000));
  return slider;
}

// Every press is a seek in a long recording, slow on the software renderer: the first size presses at
// three places of every zoom, the second once per zoom (at 20, 50 or 80 % in turn), which still proves
// every zoom at both sizes and every place at each.
const pressesAtEachSize = [
  { viewport: { width: 1024, height: 700 }, fractionsOfZoom: (_zoomIndex: number) => [0.2, 0.5, 0.8] },
  { viewport: { width: 1920, height: 1080 }, fractionsOfZoom: (zoomIndex: number) => [[0.2, 0.5, 0.8][zoomIndex % 3]!] },
];

for (const { viewport, fractionsOfZoom } of pressesAtEachSize) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('a press on the strip lands at the time under the pointer at every zoom, and holding the button keeps the window', async ({ page }) => {
      // Up to eighteen presses, each waiting for the replay to seek in a long recording: slow on a loaded machine.
      test.slow();
      const errors: string[] = [];
      const slider = await openTimeline(page, errors);
      await expect(slider).toHaveAttribute('aria-valuemin', String(recordingStart));
      const zoomLabels = await page.getByLabel('Zoom').locator('option').allTextContents();
      expect(zoomLabels.length).toBeGreaterThanOrEqual(6);
      const narrowerThanRecording: string[] = [];
      for (const [zoomIndex, zoom] of zoomLabels.entries()) {
        await page.getByLabel('Zoom').selectOption({ label: zoom });
        for (const fraction of fractionsOfZoom(zoomIndex)) {
          await test.step(`zoom ${zoom}, press at ${fraction * 100} %`, async () => {
            const window = await shownWindow(slider);
            const span = window.end - window.start;
            if (span < recordingHours * 3_600_000) narrowerThanRecording.push(zoom);
            const box = (await slider.boundingBox())!;
            const x = box.x + fraction * box.width;
            const y = box.y + box.height / 2;
            const expected = window.start + fraction * span;
            await page.mouse.move(x, y);
            await page.mouse.down();
            await expect.poll(async () => Math.abs((await shownTime(page)) - expected) / span, 'distance from the time under the pointer, in windows').toBeLessThan(0.01);
            // The cursor is drawn under the pointer, and the window has not moved under it.
            const cursor = (await page.locator('.timeline-cursor').boundingBox())!;
            expect(Math.abs(cursor.x + cursor.width / 2 - x) / box.width).toBeLessThan(0.01);
            expect(await shownWindow(slider)).toEqual(window);
            // The case: five 1-pixel nudges with the button held ran the time to the end.
            for (let nudge = 1; nudge <= 5; nudge++) await page.mouse.move(x + nudge, y);
            const nudged = window.start + ((x + 5 - box.x) / box.width) * span;
            await expect.poll(async () => Math.abs((await shownTime(page)) - nudged) / span).toBeLessThan(0.01);
            expect(await shownWindow(slider)).toEqual(window);
            await page.mouse.up();
            expect(await shownWindow(slider)).toEqual(window);
            // The release seeks once more: the player settles at the time the strip says.
            await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow')) - (await shownTime(page)), 'strip time minus player time').toBe(0);
          });
        }
      }
      // The recording is longer than the narrower zooms, so the claim covers windows that could move.
      expect(new Set(narrowerThanRecording)).toEqual(new Set(['5 min', '30 min', '2 h', '12 h']));
      expect(errors).toEqual([]);
    });

    test('the keys work after the Speed and Zoom selectors were used', async ({ page }) => {
      const errors: string[] = [];
      const slider = await openTimeline(page, errors);
      await slider.focus();
      await page.keyboard.press('Home');
      await expect.poll(() => shownTime(page)).toBe(recordingStart);
      // As a user does it: the selector takes the focus, then its value changes.
      const speed = page.getByLabel('Speed');
      await speed.focus();
      await speed.selectOption('2');
      await expect(timeline(page)).toHaveAttribute('data-player-speed', '2');
      await expect(speed).not.toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => shownTime(page)).toBe(recordingStart + 1000);
      await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(() => shownTime(page)).toBe(recordingStart + 11_000);
      await expect(slider).toHaveAttribute('aria-valuenow', String(recordingStart + 11_000));
      await expect(slider).toHaveAttribute('aria-valuetext', /\d\d:\d\d:\d\d/);
      // The selector kept its value: the arrow stepped time, it did not change the speed.
      await expect(timeline(page)).toHaveAttribute('data-player-speed', '2');

      await page.getByLabel('Zoom').focus();
      await page.getByLabel('Zoom').selectOption({ label: '30 min' });
      await expect(page.getByLabel('Zoom')).not.toBeFocused();
      await page.keyboard.press('Space');
      await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      await page.keyboard.press('Space');
      await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
      await page.keyboard.press('End');
      const end = recordingStart + recordingHours * 3_600_000;
      await expect.poll(() => shownTime(page)).toBe(end);
      await expect(page.getByLabel('Zoom')).toHaveValue('1');

      // A deliberate pan moves the window, not the time, and the window stays where it was panned.
      await expect.poll(async () => (await shownWindow(slider)).end).toBe(end);
      await page.getByRole('button', { name: 'Show earlier' }).click();
      await expect.poll(async () => shownWindow(slider)).toEqual({ start: end - 45 * 60_000, end: end - 15 * 60_000 });
      expect(await shownTime(page)).toBe(end);
      // A step brings the time back into view: the window pages to it.
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => shownTime(page)).toBe(end - 1000);
      await expect.poll(async () => (await shownWindow(slider)).end).toBe(end);
      expect(errors).toEqual([]);
    });

    test('a shift-drag selects a range, which Loop loops and Export CSV exports', async ({ page }) => {
      const errors: string[] = [];
      const slider = await openTimeline(page, errors);
      // Thirty seconds around the alarm, chosen at the 5-minute zoom.
      await page.locator('[data-machine="press-1"]').click();
      const marker = page.locator(`[data-alarm-time="${alarmAt}"]`);
      await page.getByLabel('Zoom').selectOption({ label: 'All' });
      await expect(marker).toBeVisible();
      await marker.click();
      await expect.poll(() => shownTime(page)).toBe(alarmAt);
      await page.getByLabel('Zoom').selectOption({ label: '5 min' });
      await expect.poll(async () => (await shownWindow(slider)).end - (await shownWindow(slider)).start).toBe(300_000);
      const window = await shownWindow(slider);
      const box = (await slider.boundingBox())!;
      const fractionOfTime = (time: number) => (time - window.start) / (window.end - window.start);
      const left = box.x + (fractionOfTime(alarmAt - 10_000) * box.width);
      const right = box.x + (fractionOfTime(alarmAt + 20_000) * box.width);
      const y = box.y + box.height / 2;
      await page.keyboard.down('Shift');
      await page.mouse.move(left, y);
      await page.mouse.down();
      await page.mouse.move((left + right) / 2, y, { steps: 4 });
      await page.mouse.move(right, y, { steps: 4 });
      await page.mouse.up();
      await page.keyboard.up('Shift');

      const chosen = page.locator('.selected-range');
      await expect(chosen).toBeVisible();
      const selection = { start: Number(await chosen.getAttribute('data-selection-start')), end: Number(await chosen.getAttribute('data-selection-end')) };
      expect(Math.abs(selection.start - (alarmAt - 10_000)) / 300_000).toBeLessThan(0.01);
      expect(Math.abs(selection.end - (alarmAt + 20_000)) / 300_000).toBeLessThan(0.01);
      await expect(page.locator('.timeline-selection')).toBeVisible();
      // Choosing a range did not move the time.
      expect(await shownTime(page)).toBe(alarmAt);

      const loop = page.getByRole('button', { name: /Loop/ });
      await expect(loop).toHaveAttribute('aria-pressed', 'false');
      await loop.click();
      await expect(loop).toHaveAttribute('aria-pressed', 'true');
      await expect(timeline(page)).toHaveAttribute('data-loop-start', String(selection.start));
      await expect(timeline(page)).toHaveAttribute('data-loop-end', String(selection.end));
      await expect(page.locator('.timeline-loop')).toBeVisible();

      // Played at 10×, the shown time runs to the range's end and comes back to its start.
      await page.evaluate(() => {
        const section = document.querySelector('section[data-player-time]')!;
        const seen: number[] = [];
        (globalThis as unknown as { seenTimes: number[] }).seenTimes = seen;
        new MutationObserver(() => seen.push(Number(section.getAttribute('data-player-time')))).observe(section, { attributes: true, attributeFilter: ['data-player-time'] });
      });
      await page.getByLabel('Speed').selectOption('10');
      await page.keyboard.press('Space');
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as { seenTimes: number[] }).seenTimes.some((time, index, all) => index > 0 && time < all[index - 1]!)), { timeout: 60_000 })
        .toBe(true);
      const seen = await page.evaluate(() => (globalThis as unknown as { seenTimes: number[] }).seenTimes);
      expect(Math.max(...seen)).toBeLessThanOrEqual(selection.end);
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(selection.start);
      await page.keyboard.press('Space');

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const csv = readFileSync((await (await downloading).path())!, 'utf8');
      const rows = csv.trim().split(/\r?\n/).slice(1);
      const times = rows.map((row) => Date.parse(row.split(',')[0]!));
      expect(rows.length).toBeGreaterThanOrEqual(5);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(selection.start);
      expect(Math.max(...times)).toBeLessThanOrEqual(selection.end);
      expect(rows.some((row) => row.endsWith(',97.25,°C'))).toBe(true);

      await loop.click();
      await expect(loop).toHaveAttribute('aria-pressed', 'false');
      await expect(page.locator('.timeline-loop')).toHaveCount(0);
      await page.getByRole('button', { name: 'Clear the range' }).click();
      await expect(chosen).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('▶ in Live says that it replays, and plays the last minute', async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      await page.goto(live.url);
      await waitForFramedScene(page, ['press-1']);
      await expect(timeline(page)).toHaveAttribute('data-player-mode', 'live');
      const replayFromLive = page.getByRole('button', { name: 'Replay the last minute' });
      await expect(replayFromLive).toBeEnabled();
      await expect(replayFromLive).toHaveAttribute('title', /Switches to Replay and plays/);
      // Something recorded to play through.
      await expect.poll(async () => Number(await strip(page).getAttribute('aria-valuemax')) - Number(await strip(page).getAttribute('aria-valuemin'))).toBeGreaterThan(3000);
      await replayFromLive.click();
      await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay');
      await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      const started = await shownTime(page);
      await expect.poll(() => shownTime(page)).toBeGreaterThan(started);
      await page.getByRole('button', { name: '● Live' }).click();
      await expect(timeline(page)).toHaveAttribute('data-player-mode', 'live');
      expect(errors).toEqual([]);
    });
  });
}
