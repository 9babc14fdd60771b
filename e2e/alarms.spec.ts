import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { startTwinline, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// The alarm list an operator uses, against a real host, broker and recording: press 1 runs over its
// alarm limit, the alarm is listed first and unacknowledged, acknowledged by name, shelved for a few
// seconds (it leaves the list and comes back), and the journal exported from the recording holds it.
const run = promisify(execFile);
const recordings = temporaryFolder('twinline-e2e-alarms-');
let twinline: TwinlineUnderTest;
const problems: string[] = [];
const publishers: Array<ReturnType<typeof setInterval>> = [];

test.beforeAll(async () => {
  // The last --out wins: the recording lands where this test can export its journal.
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml', ['--out', recordings]);
});

test.afterAll(async () => {
  publishers.forEach((timer) => clearInterval(timer));
  await twinline?.stop();
  rmSync(recordings, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

/** Publishes every 200 ms, as a machine does. */
function publishEvery(topic: string, payload: string): void {
  twinline.publisher.publish(topic, payload);
  publishers.push(setInterval(() => twinline.publisher.publish(topic, payload), 200));
}

/** The alarm journal of the recording so far, as `twinline export --alarms` writes it. */
async function journal(): Promise<string> {
  const file = readdirSync(recordings).find((name) => name.endsWith('.twinline'));
  if (!file) return '';
  const { stdout } = await run(process.execPath, ['bin/twinline.js', 'export', join(recordings, file), '--alarms'], { timeout: 60_000 });
  return stdout;
}

test('an alarm is listed first and unacknowledged, acknowledged by name, shelved and back, and journalled', async ({ page }) => {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Press 1 over its alarm limit (90 °C): a high alarm and a medium warning. Press 2 warns only; the pump is fine.
  publishEvery('e2e/press-1/temperature', JSON.stringify({ value: 95 }));
  publishEvery('e2e/press-2/temperature', JSON.stringify({ value: 85 }));
  publishEvery('e2e/pump-1/state', JSON.stringify({ pressure: { discharge: 6.5 } }));
  await page.goto(twinline.url);

  const counts = page.locator('[data-alarm-counts]');
  await expect(counts).toHaveText(/3 unack/);
  await counts.click();
  const list = page.getByRole('region', { name: 'Alarm list' });
  const rows = list.locator('tr[data-alarm-id]');
  await expect(rows).toHaveCount(3);

  // ISA-18.2 order: unacknowledged first, then the most urgent: press 1's high alarm leads.
  const first = rows.first();
  await expect(first).toHaveAttribute('data-machine', 'press-1');
  await expect(first).toHaveAttribute('data-alarm-state', 'activeUnacknowledged');
  await expect(first.locator('.alarm-priority')).toHaveText('high');
  await expect(first).toContainText('high alarm');
  const alarmId = (await first.getAttribute('data-alarm-id'))!;
  const row = list.locator(`tr[data-alarm-id="${alarmId}"]`);

  await test.step('a click selects the machine: the inspector shows its alarm', async () => {
    await row.click();
    const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
    await expect(inspector.locator(`[data-machine-alarm="${alarmId}"]`)).toHaveAttribute('data-alarm-state', 'activeUnacknowledged');
  });

  await test.step('A acknowledges the selected alarm, once the operator has given a name', async () => {
    await page.locator('body').press('a');
    const name = list.getByLabel('Your name, sent with each alarm action');
    // The first action asks who acts (a plain fill would wait out the whole test's time instead of failing).
    await expect(name).toBeVisible();
    await name.fill('Ana Lima');
    await name.press('Enter');
    await expect(row).toHaveAttribute('data-alarm-state', 'activeAcknowledged');
    await expect(page.locator(`.inspector [data-machine-alarm="${alarmId}"]`)).toHaveAttribute('data-alarm-state', 'activeAcknowledged');
    await expect(list.locator('[data-operator]')).toHaveAttribute('data-operator', 'Ana Lima');
    await expect(counts).toHaveText(/2 unack · 1 ack/);
    // Still listed, now after the unacknowledged ones.
    await expect(rows.last()).toHaveAttribute('data-alarm-id', alarmId);
  });

  await test.step('Export journal downloads, from the view, the raise and the acknowledgement by the operator', async () => {
    // The visible stretch follows the recording, so the acknowledgement may need a moment to fall inside it.
    await expect
      .poll(async () => {
        const [download] = await Promise.all([page.waitForEvent('download'), list.getByRole('button', { name: 'Export journal' }).click()]);
        expect(download.suggestedFilename()).toMatch(/^alarm-journal-.+\.csv$/);
        const lines = readFileSync((await download.path())!, 'utf8').split('\n').filter((line) => line.includes(',press-1,temperature,highAlarm,'));
        return ['raise', 'acknowledge'].map((event) => lines.some((line) => line.split(',')[1] === event && (event !== 'acknowledge' || line.includes(',Ana Lima,'))));
      })
      .toEqual([true, true]);
  });

  await test.step('shelved for 10 s, it leaves the list and comes back when the shelf runs out', async () => {
    await list.getByRole('button', { name: 'Shelve…' }).click();
    const form = list.getByRole('form', { name: 'Shelve the alarm' });
    await form.getByLabel('Reason').fill('sensor check');
    // Long enough to see it shelved on a loaded machine, short enough to wait for its end.
    await form.locator('input[type="number"]').fill('10');
    await form.getByLabel('Unit').selectOption('seconds');
    await form.getByRole('button', { name: 'Shelve' }).click();
    await expect(row).toHaveCount(0);
    await expect(counts).toHaveText(/1 shelved/);
    await list.locator('[data-alarm-tab="silenced"]').click();
    await expect(row).toHaveAttribute('data-alarm-state', 'shelved');
    await list.locator('[data-alarm-tab="active"]').click();
    // The temperature is still over the limit, so it comes back unacknowledged.
    await expect(row).toHaveAttribute('data-alarm-state', 'activeUnacknowledged');
    await expect(counts).not.toHaveText(/shelved/);
  });

  await test.step('the journal exported from the recording holds the raise, the acknowledgement and the shelf', async () => {
    await expect
      .poll(async () => {
        const lines = (await journal()).split('\n').filter((line) => line.includes(',press-1,temperature,highAlarm,'));
        return ['raise', 'acknowledge', 'shelve', 'shelf expired'].map((event) => lines.some((line) => line.split(',')[1] === event && (event !== 'acknowledge' || line.includes('Ana Lima'))));
      })
      .toEqual([true, true, true, true]);
  });

  expect(problems).toEqual([]);
});
