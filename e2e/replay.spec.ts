import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { colourAt, isAlarmRed, machineOnScreen, startTwinline, type TwinlineUnderTest } from './twinline-server.ts';

let twinline: TwinlineUnderTest;
const problems: string[] = [];
const timers: Array<ReturnType<typeof setInterval>> = [];

test.beforeAll(async () => {
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml');
});

test.afterAll(async () => {
  timers.forEach(clearInterval);
  await twinline?.stop();
});

/** Publishes a value every 200 ms until the returned function is called. */
function publishEvery(topic: string, payload: string): () => void {
  twinline.publisher.publish(topic, payload);
  const timer = setInterval(() => twinline.publisher.publish(topic, payload), 200);
  timers.push(timer);
  return () => clearInterval(timer);
}

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const shownTime = async (page: Page) => Number(await timeline(page).getAttribute('data-player-time'));

test('record, replay an alarm from the timeline, play at 10×, and return to live', async ({ page }) => {
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  publishEvery('e2e/press-2/temperature', '{"value": 50}');
  publishEvery('e2e/pump-1/state', '{"pressure": {"discharge": 6}}');
  let stopPress = publishEvery('e2e/press-1/temperature', '{"value": 60}');

  await page.goto(twinline.url);
  await expect.poll(() => page.evaluate(() => (window as unknown as { twinlineProbe?: { loadedMachines(): number } }).twinlineProbe?.loadedMachines() ?? 0)).toBe(3);
  await expect(timeline(page)).toHaveAttribute('data-player-mode', 'live');

  // A recorded incident: press 1 overheats for two seconds, then recovers.
  await page.waitForTimeout(3000);
  stopPress();
  stopPress = publishEvery('e2e/press-1/temperature', '{"value": 96.5}');
  await expect(page.locator('[data-machine="press-1"] [data-health]')).toHaveAttribute('data-health', 'alarm');
  await page.waitForTimeout(2000);
  stopPress();
  stopPress = publishEvery('e2e/press-1/temperature', '{"value": 61}');
  await expect(page.locator('[data-machine="press-1"] [data-health]')).toHaveAttribute('data-health', 'ok');
  await page.waitForTimeout(7000);

  await test.step('switch to replay and jump to the alarm marker', async () => {
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay');
    const marker = page.locator('[data-alarm-time]').first();
    await expect(marker).toBeVisible({ timeout: 5000 });
    const alarmTime = Number(await marker.getAttribute('data-alarm-time'));
    await marker.click();
    await expect.poll(() => shownTime(page)).toBe(alarmTime);
    const press1 = await machineOnScreen(page, 'press-1');
    await expect.poll(async () => isAlarmRed(await colourAt(page, press1.x, press1.y)), { timeout: 3000 }).toBe(true);
    await page.locator('[data-machine="press-1"]').click();
    const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
    await expect(inspector.locator('[data-signal="temperature"] .value')).toContainText('96.5');
    await expect(inspector.locator('[data-signal="temperature"] [data-health]')).toHaveAttribute('data-health', 'alarm');
    // Its recorded trend over the visible stretch reaches the alarm value.
    const trend = inspector.locator('[data-signal="temperature"] svg.trend');
    await expect(trend.locator('polyline')).toHaveCount(1, { timeout: 5000 });
    expect(Number(/to (\S+)$/.exec((await trend.getAttribute('aria-label')) ?? '')?.[1])).toBeGreaterThanOrEqual(96.5);
    // Live has moved on (press 1 is ok again), but the replayed moment still shows the alarm.
  });

  await test.step('export the machine\'s recorded samples as CSV', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = csv.trim().split(/\r?\n/);
    expect(rows[0]).toBe('time,signal,value,unit');
    expect(rows.slice(1).every((row) => row.split(',')[1] === 'press-1/temperature')).toBe(true);
    expect(rows.some((row) => row.endsWith(',96.5,°C'))).toBe(true);
    expect(rows.some((row) => row.endsWith(',60,°C'))).toBe(true);
  });

  await test.step('play at 10× advances the clock ten times as fast', async () => {
    await page.keyboard.press('Home');
    await page.getByLabel('Speed').selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(timeline(page)).toHaveAttribute('data-player-speed', '10');
    await page.waitForTimeout(300);
    const first = { time: await shownTime(page), wall: Date.now() };
    await page.waitForTimeout(600);
    const second = { time: await shownTime(page), wall: Date.now() };
    const rate = (second.time - first.time) / (second.wall - first.wall);
    expect(rate).toBeGreaterThan(6);
    expect(rate).toBeLessThan(14);
  });

  await test.step('back to live', async () => {
    await page.getByRole('button', { name: '● Live' }).click();
    await expect(timeline(page)).toHaveAttribute('data-player-mode', 'live');
    await expect(page.getByRole('complementary', { name: 'Inspector: Press 1' }).locator('[data-signal="temperature"] .value')).toContainText('61');
  });

  stopPress();
  expect(problems).toEqual([]);
});
