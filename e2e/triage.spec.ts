import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { Recorder } from '../src-main/node/recording/recorder.ts';
import { openInTwinline } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// Triage against a recording of a plant with more machines than the list shows at once: two machines
// go into alarm (one far down the list), three fall silent (stale), the rest stay ok.
const folder = temporaryFolder('twinline-triage-');
const machineCount = 60;
const recordingStart = Date.UTC(2026, 10, 25, 10, 20, 0);
const recordingEnd = recordingStart + 240_000;
/** Far down the list: its alarm starts a minute in and lasts a minute. */
const farAlarm = { machine: 58, from: recordingStart + 60_000, to: recordingStart + 120_000 };
/** Near the top: its alarm comes later. */
const nearAlarm = { machine: 2, from: recordingStart + 150_000, to: recordingStart + 180_000 };
/** Fall silent half a minute in: stale five seconds later. */
const silent = [30, 31, 32];
const silentFrom = recordingStart + 30_000;

const id = (machine: number) => `m-${String(machine).padStart(2, '0')}`;
const name = (machine: number) => (machine === farAlarm.machine ? `Cooling pump ${machine}` : `Machine ${machine}`);

const plantText = `name: Triage plant
machines:
${Array.from({ length: machineCount }, (_, index) => {
  const machine = index + 1;
  return `  - id: ${id(machine)}
    name: ${name(machine)}
    area: Area ${Math.ceil(machine / 10)}
    line: Line ${Math.ceil(machine / 5)}
    primitive: { shape: box, size: [3, 3, 3] }
    position: [${(index % 10) * 6 - 27}, 0, ${Math.floor(index / 10) * 6 - 15}]
    signals:
      - { id: pressure, name: discharge pressure, topic: t/${id(machine)}, period: 1, limits: { highAlarm: 9 } }`;
}).join('\n')}
`;

/** Four minutes of the plant through the recorder API, with the machines' health changes as live would record them. */
function makeRecording(): string {
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'triage.twinline');
  const signalKeys = plant.machines.map((machine) => `${machine.id}/pressure`);
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['default'] });
  recorder.recordConnection(0, true, recordingStart);
  for (let index = 0; index < machineCount; index++) recorder.recordHealth(index, 1, recordingStart);
  for (let time = recordingStart; time <= recordingEnd; time += 1000) {
    for (let index = 0; index < machineCount; index++) {
      const machine = index + 1;
      if (silent.includes(machine) && time > silentFrom) continue;
      const alarming = [farAlarm, nearAlarm].some((alarm) => alarm.machine === machine && time >= alarm.from && time < alarm.to);
      recorder.recordSample(index, alarming ? 12 : 5, time);
    }
    for (const alarm of [farAlarm, nearAlarm]) {
      if (time === alarm.from) recorder.recordHealth(alarm.machine - 1, 3, time);
      if (time === alarm.to) recorder.recordHealth(alarm.machine - 1, 1, time);
    }
    if (time === silentFrom + 5000) for (const machine of silent) recorder.recordHealth(machine - 1, 4, time);
    if ((time - recordingStart) % 20_000 === 0) recorder.commit();
  }
  recorder.close();
  return file;
}

let twinline: Awaited<ReturnType<typeof openInTwinline>>;

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

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const shownTime = async (page: Page) => Number(await timeline(page).getAttribute('data-player-time'));
const row = (page: Page, machine: number) => page.locator(`.machine-list [data-machine="${id(machine)}"]`);

/** Opens `address` in the page, collecting page errors, and waits until the timeline replays. */
async function open(page: Page, address: string, errors: string[]): Promise<void> {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(address);
  // A fresh page loads, links to the host and enters the recording before it shows replay: on a machine
  // whose two cores also draw another page in software, that has taken over 30 s. The wait is for that, not longer.
  await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay', { timeout: 120_000 });
  await expect(page.getByRole('slider', { name: 'Time' })).toBeVisible();
}

/** Moves the replay to the recording's start (Home) and waits until it is there. */
async function toStart(page: Page): Promise<void> {
  await page.keyboard.press('Home');
  await expect.poll(() => shownTime(page)).toBe(recordingStart);
}

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('a jump to an alarm names it, selects the alarming machine and scrolls the list to it', async ({ page }) => {
      const errors: string[] = [];
      await open(page, twinline.url, errors);
      await toStart(page);
      // The far machine's row is below what the list shows.
      await expect(row(page, farAlarm.machine)).not.toBeInViewport();
      const marker = page.locator(`.alarm-marker[data-alarm-time="${farAlarm.from}"]`);
      await expect(marker).toHaveAccessibleName(new RegExp(`^Alarm: Cooling pump 58 — discharge pressure, 2026-11-25 `));
      const next = page.getByRole('button', { name: /^Next alarm: Cooling pump 58 — discharge pressure, / });
      await next.click();
      await expect.poll(() => shownTime(page)).toBe(farAlarm.from);
      await expect(page.getByRole('complementary', { name: 'Inspector: Cooling pump 58' })).toBeVisible();
      await expect(row(page, farAlarm.machine)).toHaveAttribute('aria-current', 'true');
      await expect(row(page, farAlarm.machine)).toBeInViewport();
      // The inspector says since when; after a jump the view did not see the alarm begin, and says so.
      await expect(page.locator('.inspector [data-health-since]')).toContainText(/^in alarm since \d\d:\d\d:\d\d\.\d .* or earlier$/);

      // Restricted to the selected machine, Alarm ▶ skips the other machines' alarms.
      await row(page, nearAlarm.machine).click();
      await toStart(page);
      await page.getByRole('button', { name: 'only this machine' }).click();
      await expect(page.getByRole('button', { name: 'only this machine' })).toHaveAttribute('aria-pressed', 'true');
      await page.getByRole('button', { name: /^Next alarm: Machine 2 — discharge pressure/ }).click();
      await expect.poll(() => shownTime(page)).toBe(nearAlarm.from);
      await expect(page.getByRole('complementary', { name: 'Inspector: Machine 2' })).toBeVisible();
      // And ◀ Alarm from there, for all machines again, goes back to the far machine and selects it.
      await page.getByRole('button', { name: 'only this machine' }).click();
      await page.getByRole('button', { name: /^Previous alarm: Cooling pump 58/ }).click();
      await expect.poll(() => shownTime(page)).toBe(farAlarm.from);
      await expect(page.getByRole('complementary', { name: 'Inspector: Cooling pump 58' })).toBeVisible();
      await expect(row(page, farAlarm.machine)).toBeInViewport();
      expect(errors).toEqual([]);
    });

    test('clicking a count filters the list to that state, and hovering a row names its machine in the scene', async ({ page }) => {
      const errors: string[] = [];
      await open(page, twinline.url, errors);
      await page.keyboard.press('Escape');
      await toStart(page);
      await page.getByRole('button', { name: /^Next alarm: Cooling pump 58/ }).click();
      await expect.poll(() => shownTime(page)).toBe(farAlarm.from);
      // Close the inspector: the selected machine would otherwise stay listed whatever the filter.
      await page.getByRole('button', { name: 'Close inspector' }).click();
      const counts = page.getByRole('group', { name: 'Machines by state' });
      await expect(counts).toHaveText('◆1 alarm·◌3 stale');
      await counts.getByRole('button', { name: '3 stale' }).click();
      const rows = page.locator('.machine-list [data-machine]');
      await expect(rows).toHaveCount(3);
      expect(await rows.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-machine')))).toEqual(silent.map(id));
      await expect(rows.locator('[data-health="stale"]')).toHaveCount(3);
      await expect(counts.getByRole('button', { name: '3 stale' })).toHaveAttribute('aria-pressed', 'true');
      await counts.getByRole('button', { name: '1 alarm' }).click();
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-machine', id(farAlarm.machine));
      // Pressed again, the count shows every machine.
      await counts.getByRole('button', { name: '1 alarm' }).click();
      await expect(rows).toHaveCount(machineCount);
      // The search narrows by name, id or area.
      await page.getByRole('searchbox', { name: 'Search machines' }).fill('pump');
      await expect(rows).toHaveCount(1);
      await page.getByRole('searchbox', { name: 'Search machines' }).fill('area 6');
      await expect(rows).toHaveCount(10);
      await page.getByRole('searchbox', { name: 'Search machines' }).fill('');
      // A hovered row names its machine over it in the scene.
      await row(page, 12).hover();
      await expect(page.locator('.hover-label')).toContainText('Machine 12');
      expect(errors).toEqual([]);
    });

    test('a link with the selection and the time opens the same view in a new page', async ({ page, context }) => {
      const errors: string[] = [];
      await open(page, twinline.url, errors);
      await toStart(page);
      await page.getByRole('button', { name: /^Next alarm: Cooling pump 58/ }).click();
      await expect.poll(() => shownTime(page)).toBe(farAlarm.from);
      await expect.poll(() => new URL(page.url()).hash).toBe(`#machine=${id(farAlarm.machine)}&time=${farAlarm.from}&mode=replay`);

      const shared = await context.newPage();
      await open(shared, page.url(), errors);
      await expect.poll(() => shownTime(shared)).toBe(farAlarm.from);
      await expect(shared.getByRole('complementary', { name: 'Inspector: Cooling pump 58' })).toBeVisible();
      await expect(row(shared, farAlarm.machine)).toHaveAttribute('aria-current', 'true');
      await expect(row(shared, farAlarm.machine)).toBeInViewport();
      await shared.close();
      expect(errors).toEqual([]);
    });
  });
}
