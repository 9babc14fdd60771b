import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Locator, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { Recorder } from '../src-main/node/recording/recorder.ts';
import { openInTwinline } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// Charts against a recording of two hours: Press 1's temperature runs near 58 °C but for one
// two-minute excursion to 97.25 °C, above its alarm limit of 90 °C.
const folder = temporaryFolder('twinline-charts-');
const recordingStart = Date.UTC(2026, 10, 20, 6, 0, 0);
const recordingHours = 2;
const alarmAt = recordingStart + 50 * 60_000;
const excursion = 97.25;
const alarmLimit = 90;
let twinline: Awaited<ReturnType<typeof openInTwinline>>;

function makeRecording(): string {
  const plantFile = join(folder, 'plant.yaml');
  copyFileSync('e2e/fixtures/test-plant.yaml', plantFile);
  const plantText = readFileSync(plantFile, 'utf8');
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'excursion.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press-1/temperature', 'press-2/temperature', 'pump-1/pressure'], brokerIds: ['default'] });
  recorder.recordConnection(0, true, recordingStart);
  let count = 0;
  for (let time = recordingStart; time <= recordingStart + recordingHours * 3_600_000; time += 2000) {
    const alarming = time >= alarmAt && time < alarmAt + 120_000;
    recorder.recordSample(0, alarming ? excursion : 55 + (count % 7), time);
    recorder.recordSample(1, 50 + (count % 3), time);
    recorder.recordSample(2, 6, time);
    if (time === alarmAt) recorder.recordHealth(0, 3, time);
    if (time === alarmAt + 120_000) recorder.recordHealth(0, 1, time);
    if (++count % 200 === 0) recorder.commit();
  }
  recorder.close();
  rmSync(plantFile);
  return file;
}

test.beforeAll(async () => {
  twinline = await openInTwinline(makeRecording());
});

test.afterAll(async () => {
  await twinline?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline open output', { body: twinline.output(), contentType: 'text/plain' });
});

/** What a chart's probe says, read in the page. */
interface ChartFacts {
  shown: string;
  highest: number;
  highestY: number;
  limitY: number;
  plotHeight: number;
  playerTime: number | null;
  alarmPeriods: Array<{ start: number; end: number }>;
}

async function chartFacts(chart: Locator): Promise<ChartFacts | string> {
  return chart.evaluate((element) => {
    type Probe = {
      shown: string;
      columns(): [Float64Array, Float64Array, Float64Array];
      limits?: { highAlarm?: number };
      yOf(value: number): number;
      playerTime(): number | null;
      alarmPeriods(): Array<{ start: number; end: number }>;
    };
    const probe = (element as HTMLElement & { twinlineChart?: Probe }).twinlineChart;
    if (!probe) return 'no chart probe yet';
    const [, , highs] = probe.columns();
    if (highs.length === 0) return 'no data drawn yet';
    const highest = Math.max(...highs);
    const plot = element.querySelector('.u-over')!.getBoundingClientRect();
    return {
      shown: probe.shown,
      highest,
      highestY: probe.yOf(highest),
      limitY: probe.yOf(probe.limits?.highAlarm ?? Number.NaN),
      plotHeight: plot.height,
      playerTime: probe.playerTime(),
      alarmPeriods: probe.alarmPeriods(),
    };
  });
}

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const shownTime = async (page: Page) => Number(await timeline(page).getAttribute('data-player-time'));

test('a chart draws the excursion above the drawn limit, keeps its cursor on the timeline time, and pins signals of two machines together, also in the link', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(twinline.url);
  await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay');
  await page.getByLabel('Zoom').selectOption({ label: 'All' });

  await page.locator('button[data-machine="press-1"]').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
  await inspector.getByRole('button', { name: 'Show chart' }).click();
  const chart = inspector.locator('[data-chart-signal="0"]');
  await test.step('the excursion is drawn above the alarm limit line, and its alarm period shaded', async () => {
    await expect.poll(async () => {
      const facts = await chartFacts(chart);
      return typeof facts === 'string' ? facts : facts.highest;
    }).toBe(excursion);
    const facts = (await chartFacts(chart)) as ChartFacts;
    expect(facts.shown).toBe('recorded');
    // The limit line lies inside the plot, and the excursion's top higher up on screen than it.
    expect(facts.limitY).toBeGreaterThan(0);
    expect(facts.limitY).toBeLessThan(facts.plotHeight);
    expect(facts.highestY).toBeLessThan(facts.limitY - 5);
    expect(facts.alarmPeriods.some((period) => period.start <= alarmAt + 60_000 && period.end >= alarmAt + 60_000)).toBe(true);
  });

  await test.step('the chart’s time line follows the timeline', async () => {
    const strip = page.getByRole('slider', { name: 'Time' });
    for (const fraction of [0.3, 0.7]) {
      const box = (await strip.boundingBox())!;
      await page.mouse.click(box.x + fraction * box.width, box.y + box.height / 2);
      await expect.poll(async () => Math.abs((await shownTime(page)) - (recordingStart + fraction * recordingHours * 3_600_000)) / (recordingHours * 3_600_000)).toBeLessThan(0.02);
      const time = await shownTime(page);
      await expect.poll(async () => {
        const facts = await chartFacts(chart);
        return typeof facts === 'string' ? facts : facts.playerTime;
      }).toBe(time);
    }
  });

  await test.step('pinning signals of two machines puts both in the chart panel', async () => {
    await inspector.getByRole('button', { name: 'Pin to panel' }).click();
    await page.locator('button[data-machine="press-2"]').click();
    await page.getByRole('complementary', { name: 'Inspector: Press 2' }).getByRole('button', { name: 'Pin to panel' }).click();
    const panel = page.getByRole('region', { name: 'Chart panel' });
    await expect(panel.locator('[data-chart-signal]')).toHaveCount(2);
    for (const signal of ['0', '1']) {
      await expect.poll(async () => {
        const facts = await chartFacts(panel.locator(`[data-chart-signal="${signal}"]`));
        return typeof facts === 'string' ? facts : 'drawn';
      }).toBe('drawn');
    }
    await expect(panel.getByRole('figure', { name: 'Chart: Press 1 · temperature (°C)' })).toBeVisible();
    await expect(panel.getByRole('figure', { name: 'Chart: Press 2 · temperature (°C)' })).toBeVisible();
  });

  await test.step('the link carries the pins, and opening it shows both again', async () => {
    await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('pins')).toBe('press-1/temperature,press-2/temperature');
    await page.reload();
    const panel = page.getByRole('region', { name: 'Chart panel' });
    await expect(panel.locator('[data-chart-signal]')).toHaveCount(2);
  });
  expect(errors).toEqual([]);
});
