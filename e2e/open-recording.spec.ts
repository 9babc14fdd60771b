import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { Recorder } from '../src-main/node/recording/recorder.ts';
import { openInTwinline } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

const folder = temporaryFolder('twinline-open-');
test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Records two minutes of a small plant through the recorder API, then moves the plant file away. */
function makeRecording(): { file: string; alarmAt: number; start: number } {
  const plantFile = join(folder, 'plant.yaml');
  copyFileSync('e2e/fixtures/test-plant.yaml', plantFile);
  const plantText = readFileSync(plantFile, 'utf8');
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'incident.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press-1/temperature', 'press-2/temperature', 'pump-1/pressure'], brokerIds: ['default'] });
  const start = Date.UTC(2026, 10, 20, 8, 0, 0);
  const alarmAt = start + 60_000;
  recorder.recordConnection(0, true, start);
  for (let time = start; time <= start + 120_000; time += 250) {
    recorder.recordSample(0, time >= alarmAt && time < alarmAt + 20_000 ? 97.25 : 55, time);
    recorder.recordSample(1, 50, time);
    recorder.recordSample(2, 6, time);
    if (time === alarmAt) recorder.recordHealth(0, 3, time);
    if ((time - start) % 1000 === 0) recorder.commit();
  }
  recorder.close();
  rmSync(plantFile);
  return { file, alarmAt, start };
}

test('an investigator opens a recording offline and finds the alarm', async ({ page }) => {
  const { file, alarmAt } = makeRecording();
  const twinline = await openInTwinline(file);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  try {
    await page.goto(twinline.url);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline).toHaveAttribute('data-player-mode', 'replay');
    await expect(page.getByRole('button', { name: '● Live' })).toBeDisabled();
    await expect(page.locator('.status-bar')).toContainText('incident.twinline');
    const marker = page.locator(`[data-alarm-time="${alarmAt}"]`);
    await expect(marker).toBeVisible();
    await marker.click();
    await expect(timeline).toHaveAttribute('data-player-time', String(alarmAt));
    await expect(page.locator('[data-machine="press-1"] [data-health]')).toHaveAttribute('data-health', 'alarm');
    await page.locator('[data-machine="press-1"]').click();
    await expect(page.getByRole('complementary', { name: 'Inspector: Press 1' }).locator('[data-signal="temperature"] .value')).toContainText('97.25');
    await page.keyboard.press('Home');
    await expect(page.locator('[data-machine="press-1"] [data-health]')).toHaveAttribute('data-health', 'ok');
    expect(errors).toEqual([]);
  } finally {
    await twinline.stop();
    await test.info().attach('twinline open output', { body: twinline.output(), contentType: 'text/plain' });
  }
});
