import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// The look ahead as an operator sees it, against a real host and broker: press 1's temperature climbs
// toward its warning limit, so the inspector says when it will get there, the machine list and the
// status bar mark it predicted and the scene rings it; once it holds steady for a whole window, the
// cue goes. A 5 s window (the plant's own setting, the shortest) keeps the wait short.
const folder = temporaryFolder('twinline-e2e-forecast-');
const plantFile = join(folder, 'plant.yaml');
writeFileSync(
  plantFile,
  `name: Forecast test line
forecast: { window: 5 s }
machines:
  - id: press-1
    name: Press 1
    area: Press shop
    line: Line A
    primitive: { shape: box, size: [6, 4, 6], color: "#8c96a3" }
    position: [-8, 0, 0]
    signals:
      - { id: temperature, topic: e2e/press-1/temperature, unit: °C, period: 0.5, limits: { highWarn: 80, highAlarm: 90 } }
  - id: press-2
    name: Press 2
    area: Press shop
    line: Line A
    primitive: { shape: box, size: [6, 4, 6], color: "#8c96a3" }
    position: [8, 0, 0]
    signals:
      - { id: temperature, topic: e2e/press-2/temperature, unit: °C, period: 0.5, limits: { highWarn: 80, highAlarm: 90 } }
`,
);

let twinline: TwinlineUnderTest;
let publisher: ReturnType<typeof setInterval> | undefined;
const problems: string[] = [];

test.beforeAll(async () => {
  twinline = await startTwinline(plantFile);
});

test.afterAll(async () => {
  clearInterval(publisher);
  await twinline?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

interface MarkerProbe {
  twinlineProbe?: { predictedMarkers(): Array<{ machineId: string; screen: { x: number; y: number } }>; machineScreenPosition(id: string): { x: number; y: number } | null };
}

interface ProjectionProbe {
  twinlineChart?: {
    limits?: { highWarn?: number };
    shownRange(): { from: number; to: number };
    projection(): { from: number; value: number; at: number; limitValue: number; limit: string; predicted: boolean } | null;
  };
}

/** What the inspector's chart of press 1 draws of the forecast: its projected line and the x range shown. */
async function projection(page: Page) {
  return page.locator('.inspector-chart [data-chart-signal]').evaluate((element) => {
    const probe = (element as HTMLElement & ProjectionProbe).twinlineChart;
    return probe ? { drawn: probe.projection(), shownTo: probe.shownRange().to, warning: probe.limits?.highWarn, now: Date.now() } : null;
  });
}

/** The machines the scene's predicted rings stand over, and whether each ring is drawn right above its machine on screen. */
async function markers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const probe = (window as unknown as MarkerProbe).twinlineProbe;
    return (probe?.predictedMarkers() ?? []).map((marker) => {
      const machine = probe!.machineScreenPosition(marker.machineId);
      const above = machine !== null && Math.abs(marker.screen.x - machine.x) < 40 && marker.screen.y < machine.y;
      return above ? marker.machineId : `${marker.machineId} (not above it)`;
    });
  });
}

test('a rising temperature is forecast and marked predicted, and the cue goes once it holds steady', async ({ page }) => {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2']);

  // Every 50 ms, so each of the window's 64 buckets gets a sample: press 1 climbs 1 °C a second from
  // 30 °C (its warning at 80 °C is ~50 s off); press 2 holds at 50 °C.
  let temperature = 30;
  // When each temperature went out, to check where the chart's projected line starts.
  const published: Array<[number, number]> = [];
  const publish = () => {
    published.push([Date.now(), temperature]);
    twinline.publisher.publish('e2e/press-1/temperature', JSON.stringify({ value: temperature }));
    twinline.publisher.publish('e2e/press-2/temperature', JSON.stringify({ value: 50 }));
  };
  let rising = true;
  publisher = setInterval(() => {
    if (rising) temperature += 0.05;
    publish();
  }, 50);

  const press1 = page.locator('.machine-list [data-machine="press-1"]');
  const press2 = page.locator('.machine-list [data-machine="press-2"]');
  const count = page.locator('[data-predicted-count]');

  await test.step('the machine list, the status bar and the scene mark press 1 predicted, and only it', async () => {
    await expect(press1.locator('[data-predicted]')).toBeVisible();
    await expect(count).toHaveText(/1 predicted/);
    await expect.poll(() => markers(page), { message: 'one ring, over press 1' }).toEqual(['press-1']);
    await expect(press2.locator('[data-predicted]')).toHaveCount(0);
  });

  await test.step('the inspector says when the warning comes', async () => {
    await press1.click();
    const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
    await expect(inspector.locator('[data-forecast="warning"]')).toHaveText(/^warning in ~\d+ s \(confidence (high|medium|low)\)$/);
  });

  await test.step("the inspector's chart draws the projected line up to the warning limit at the forecast's time", async () => {
    const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
    await inspector.getByRole('button', { name: 'Show chart' }).click();
    await expect.poll(async () => (await projection(page))?.drawn?.limit, { message: 'a projection toward the warning' }).toBe('warning');
    const shown = (await projection(page))!;
    const line = shown.drawn!;
    expect(line.limitValue).toBe(shown.warning);
    expect(line.predicted).toBe(true);
    // The line ends at the forecast's time, which the inspector gives in words ("warning in ~40 s", to the nearest 10 s).
    const lead = Number(/in ~(\d+) s/.exec((await inspector.locator('[data-forecast="warning"]').textContent()) ?? '')?.[1]);
    expect(Math.abs((line.at - shown.now) / 1000 - lead)).toBeLessThan(15);
    // The x range reaches past the crossing, ahead of now.
    expect(shown.shownTo).toBeGreaterThanOrEqual(line.at);
    expect(line.at).toBeGreaterThan(shown.now);
    // It starts on the ramp as published at that moment (the host received it a little later).
    const before = published.filter(([time]) => time <= line.from).at(-1);
    expect(before, 'a temperature published before the line starts').toBeDefined();
    expect(Math.abs(line.value - before![1])).toBeLessThan(3);
  });

  await test.step('the predicted count filters the machine list to press 1', async () => {
    await page.keyboard.press('Escape');
    await count.click();
    await expect(count).toHaveAttribute('aria-pressed', 'true');
    await expect(press1).toBeVisible();
    await expect(press2).toHaveCount(0);
    await count.click();
    await expect(press2).toBeVisible();
  });

  await test.step('held steady for a whole window, nothing is predicted and the ring goes', async () => {
    rising = false;
    await expect(press1.locator('[data-predicted]')).toHaveCount(0, { timeout: 30_000 });
    await expect(count).toHaveCount(0);
    await expect.poll(() => markers(page)).toEqual([]);
    await press1.click();
    const drawnNow = async () => {
      const shown = await projection(page);
      return shown ? shown.drawn : 'no chart';
    };
    await expect.poll(drawnNow, { message: 'no projected line' }).toBeNull();
  });

  expect(problems).toEqual([]);
});
