import { execFile } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { startTwinline, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// A note an investigator pins to a moment, against a real host, broker and recording: it is listed
// and marked on the timeline, it is still there after a reload (read back through the host), a package
// saved from the view over a chosen range is written and downloaded, and an incident package cut
// around its moment with `twinline package` carries the note.
const run = promisify(execFile);
const recordings = temporaryFolder('twinline-e2e-annotations-');
const packages = temporaryFolder('twinline-e2e-packages-');
let twinline: TwinlineUnderTest;
const problems: string[] = [];
let publisher: ReturnType<typeof setInterval> | undefined;

test.beforeAll(async () => {
  // The last --out wins: the recording lands where this test can package it.
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml', ['--out', recordings]);
  publisher = setInterval(() => twinline.publisher.publish('e2e/press-1/temperature', JSON.stringify({ value: 60 + Math.random() })), 200);
});

test.afterAll(async () => {
  clearInterval(publisher);
  await twinline?.stop();
  rmSync(recordings, { recursive: true, force: true });
  rmSync(packages, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

/** The texts of the notes an incident package of `from`–`to` holds, packaged from the recording as it stands. */
async function packagedNotes(from: number, to: number, attempt: number): Promise<string[]> {
  const file = readdirSync(recordings).find((name) => name.endsWith('.twinline'));
  if (!file) return [];
  const out = join(packages, `incident-${attempt}.twinline`);
  try {
    await run(process.execPath, ['bin/twinline.js', 'package', join(recordings, file), '--from', String(from), '--to', String(to), '--out', out, '--title', 'Press 1 check'], { timeout: 60_000 });
  } catch {
    // The recording may not reach the moment yet (its commit is once a second): asked again.
    return [];
  }
  const database = new DatabaseSync(out, { readOnly: true });
  try {
    return (database.prepare('SELECT text FROM annotations ORDER BY time').all() as Array<{ text: string }>).map((row) => row.text);
  } finally {
    database.close();
  }
}

test('a note added at a moment is listed and marked, survives a reload and travels in a package of that range', async ({ page }) => {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(twinline.url);
  await page.getByRole('button', { name: /Notes/ }).click();
  const panel = page.getByRole('region', { name: 'Notes' });
  await panel.getByLabel('Your name', { exact: true }).fill('Ines');
  await panel.getByRole('button', { name: 'Use this name' }).click();
  await panel.getByLabel('Note', { exact: true }).fill('Press 1 ran warm after the tool change');
  await panel.getByRole('button', { name: 'Add note' }).click();
  const item = panel.locator('li[data-annotation-id]');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Press 1 ran warm after the tool change');
  await expect(item).toContainText('Ines');
  await expect(page.locator('.annotation-marker')).toHaveCount(1);
  const time = Number(await item.getAttribute('data-annotation-time'));
  expect(time).toBeGreaterThan(0);

  // A new page is a new view: the note comes back from the host, and search finds it.
  await page.reload();
  await page.getByRole('button', { name: /Notes \(1\)/ }).click();
  await expect(panel.locator('li[data-annotation-id]')).toContainText('Press 1 ran warm');
  await panel.getByLabel('Search the notes').fill('tool change ines');
  await expect(panel.locator('li[data-annotation-id]')).toHaveCount(1);
  await panel.getByLabel('Search the notes').fill('pump');
  await expect(panel.locator('li[data-annotation-id]')).toHaveCount(0);

  // Saved from the view over a range chosen on the timeline (shift-drag over the whole strip).
  const slider = page.getByRole('slider', { name: 'Time' });
  const box = (await slider.boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('.selected-range')).toBeVisible();
  await panel.getByRole('button', { name: 'Save incident…' }).click();
  await panel.getByLabel('Incident title').fill('Press 1 warm');
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(panel.getByRole('status')).toContainText(/Saved incidents\/incident-.*\.twinline in the recordings folder \(1 note\)/);
  const saved = readdirSync(join(recordings, 'incidents'));
  expect(saved).toHaveLength(1);
  // And downloaded through the view server.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(saved[0]);
  expect(statSync(await download.path()).size).toBe(statSync(join(recordings, 'incidents', saved[0]!)).size);

  // Packaged around its moment, once the recording has reached it.
  let attempt = 0;
  await expect.poll(() => packagedNotes(time - 2000, time + 1000, attempt++), { timeout: 60_000 }).toEqual(['Press 1 ran warm after the tool change']);
  expect(problems).toEqual([]);
});
