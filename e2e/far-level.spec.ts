import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { describeModel } from '../src-main/node/describe-models.ts';
import { writeLodModel } from '../src-main/node/write-lod-model.ts';
import { startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';

/**
 * Two furnaces 600 m apart, the model naming the far level `twinline models --lod` wrote for it: framed
 * whole, both stand beyond the first far distance (about 500 m for the furnace) and short of the second
 * (about 1.5 km), so both are drawn from the plant's lod file.
 */
let twinline: TwinlineUnderTest;
let folder: string;
let fullTriangles: number;
let farTriangles: number;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-far-level-'));
  copyFileSync(fileURLToPath(new URL('../models/furnace.glb', import.meta.url)), join(folder, 'furnace.glb'));
  const written = await writeLodModel(join(folder, 'furnace.glb'));
  expect(written.problem).toBeUndefined();
  fullTriangles = (await describeModel(join(folder, 'furnace.glb'))).triangles;
  farTriangles = (await describeModel(written.written!)).triangles;
  const machine = (id: string, x: number) => `
  - id: ${id}
    name: Furnace ${id}
    area: Melt shop
    line: Furnaces
    model: { file: furnace.glb, lod: furnace.lod.glb }
    position: [${x}, 0, 0]
    signals:
      - { id: power, topic: far/${id}/power, unit: MW, period: 0.5 }`;
  writeFileSync(join(folder, 'plant.yaml'), `name: Far level plant\nmodelsDirectory: .\nmachines:${machine('west', -300)}${machine('east', 300)}\n`);
  twinline = await startTwinline(join(folder, 'plant.yaml'));
});

test.afterAll(async () => {
  await twinline?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

// What the host printed goes with the test's results, for a failure on a loaded machine that cannot be rerun at will.
test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

test('machines far from the camera are drawn from the plant\'s lod file, with no problem listed', async ({ page }) => {
  const farFile = page.waitForResponse((response) => response.url().endsWith('/furnace.lod.glb'));
  const opened = await page.goto(twinline.url);
  expect(opened?.status(), `${twinline.url}: ${await opened?.text()}`).toBe(200);
  expect((await farFile).status()).toBe(200);
  await waitForFramedScene(page, ['west', 'east']);
  await expect(page.locator('.problems-panel')).toHaveCount(0);
  // Once the levels are chosen, both machines are at the file's level: far fewer triangles than one furnace
  // in full (and no shadow pass), yet at least the file's twice (the view's own levels are coarser).
  const triangles = () => page.evaluate(() => (window as unknown as { twinlineProbe: { renderStats(): { triangles: number } } }).twinlineProbe.renderStats().triangles);
  expect(farTriangles).toBeLessThan(fullTriangles / 2);
  await expect.poll(triangles, { message: `triangles per frame below one furnace in full (${fullTriangles})` }).toBeLessThan(fullTriangles);
  expect(await triangles()).toBeGreaterThanOrEqual(2 * farTriangles);
});
