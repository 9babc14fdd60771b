import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { serveDemo } from './twinline-server.ts';

// A manager's walkthrough on the demo: two viewpoints and a three-step tour saved from the view,
// kept in the tours file across a reload, played with the camera arriving at each viewpoint and
// each caption shown, then presented with every panel hidden.

const folder = mkdtempSync(join(tmpdir(), 'twinline-e2e-tours-'));
const toursFile = join(folder, 'demo.tours.yaml');
/** How close (metres) the camera must come to a viewpoint's position to have arrived. */
const arrivedWithin = 0.3;
let demo: Awaited<ReturnType<typeof serveDemo>>;

test.beforeAll(async () => {
  demo = await serveDemo(['--tours', toursFile]);
});

test.afterAll(async () => {
  await demo?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (demo) await testInfo.attach('twinline serve output', { body: demo.output(), contentType: 'text/plain' });
});

interface ToursFile {
  viewpoints: Array<{ name: string; position: [number, number, number] }>;
  tours: Array<{ name: string; steps: Array<{ viewpoint: string; caption: string; seconds: number }> }>;
}

function readTours(): ToursFile | null {
  try {
    return parse(readFileSync(toursFile, 'utf8')) as ToursFile;
  } catch {
    // Not written yet: the poll asks again.
    return null;
  }
}

async function cameraPosition(page: Page): Promise<[number, number, number] | null> {
  return page.evaluate(() => (window as unknown as { twinlineProbe?: { cameraPosition?(): [number, number, number] } }).twinlineProbe?.cameraPosition?.() ?? null);
}

/** Waits until the camera has stopped moving (the orbit controls damp a drag out over a few frames). */
async function cameraAtRest(page: Page): Promise<void> {
  let last: [number, number, number] | null = null;
  await expect
    .poll(async () => {
      const now = await cameraPosition(page);
      const still = now !== null && last !== null && Math.hypot(now[0] - last[0], now[1] - last[1], now[2] - last[2]) < 0.001;
      last = now;
      return still;
    }, { message: 'the camera comes to rest', intervals: [300] })
    .toBe(true);
}

/** Orbits the camera by dragging across the canvas, as a user does. */
async function orbit(page: Page, dx: number, dy: number): Promise<void> {
  const box = (await page.locator('.viewport canvas').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
  await cameraAtRest(page);
}

async function saveView(page: Page, name: string): Promise<void> {
  await page.getByLabel('Viewpoint name').fill(name);
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.locator(`.tour-viewpoint[data-viewpoint="${name}"]`)).toBeVisible();
}

async function expectCameraAt(page: Page, position: [number, number, number], what: string): Promise<void> {
  await expect
    .poll(async () => {
      const now = await cameraPosition(page);
      return now ? Math.hypot(now[0] - position[0], now[1] - position[1], now[2] - position[2]) : Number.POSITIVE_INFINITY;
    }, { message: `the camera arrives at ${what}` })
    .toBeLessThan(arrivedWithin);
}

test('save two viewpoints and a three-step tour, reload, play it and present it', async ({ page }) => {
  await page.goto(demo.url);
  await expect.poll(() => cameraPosition(page), { message: 'the scene is up' }).not.toBeNull();
  await page.getByRole('button', { name: 'Tours' }).click();
  await expect(page.getByRole('button', { name: 'Save view' })).toBeVisible();

  await orbit(page, 220, 0);
  await saveView(page, 'Furnaces');
  await orbit(page, -120, -90);
  await saveView(page, 'Mill');

  await page.getByLabel('New tour name').fill('Morning walk');
  await page.getByRole('button', { name: 'Add tour' }).click();
  await expect(page.getByLabel('Tour', { exact: true })).toHaveValue('Morning walk');
  const captions = ['Melt shop: both furnaces are tapping.', 'The mill from above.', 'Back to the furnaces.'];
  const viewpoints = ['Furnaces', 'Mill', 'Furnaces'];
  for (const [index, caption] of captions.entries()) {
    await page.getByRole('button', { name: 'Add step', exact: true }).click();
    await page.getByLabel(`Viewpoint of step ${index + 1}`).selectOption(viewpoints[index]!);
    await expect(page.getByLabel(`Viewpoint of step ${index + 1}`)).toHaveValue(viewpoints[index]!);
    await page.getByLabel(`Seconds of step ${index + 1}`).fill('4');
    await expect(page.getByLabel(`Seconds of step ${index + 1}`)).toHaveValue('4');
    await page.getByLabel(`Caption of step ${index + 1}`).fill(caption);
    await page.getByLabel(`Caption of step ${index + 1}`).blur();
    await expect(page.getByLabel(`Caption of step ${index + 1}`)).toHaveValue(caption);
  }
  // What the view saved is in the tours file, whole.
  await expect
    .poll(() => readTours()?.tours[0]?.steps.map((step) => [step.viewpoint, step.caption, step.seconds]), { message: 'the tour is in the tours file' })
    .toEqual(viewpoints.map((viewpoint, index) => [viewpoint, captions[index], 4]));
  const saved = readTours()!;
  expect(saved.viewpoints.map((viewpoint) => viewpoint.name)).toEqual(['Furnaces', 'Mill']);
  const positionOf = (name: string) => saved.viewpoints.find((viewpoint) => viewpoint.name === name)!.position;
  // The two viewpoints are far enough apart that arriving at one is not being at the other.
  expect(Math.hypot(...positionOf('Furnaces').map((value, axis) => value - positionOf('Mill')[axis]!))).toBeGreaterThan(5);

  await page.reload();
  await expect.poll(() => cameraPosition(page), { message: 'the scene is up again' }).not.toBeNull();
  await page.getByRole('button', { name: 'Tours' }).click();
  await expect(page.getByLabel('Tour', { exact: true })).toHaveValue('Morning walk');
  await page.getByRole('button', { name: '▶ Play' }).click();
  for (const [index, caption] of captions.entries()) {
    const shown = page.locator(`.tour-caption[data-tour-step="${index}"]`);
    await expect(shown).toContainText(caption);
    await expect(shown).toContainText(`Morning walk · ${index + 1} / 3`);
    await expectCameraAt(page, positionOf(viewpoints[index]!), `${viewpoints[index]} (step ${index + 1})`);
  }
  // After the last step the tour ends.
  await expect(page.locator('.tour-caption')).toHaveCount(0);

  // Presenting hides every panel, shows each area's health, and the caption large; PageDown moves on.
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.locator('.tour-presentation')).toBeVisible();
  for (const panel of ['.status-bar', '.sidebar', '.timeline', '.tours-panel', '.tours-button']) await expect(page.locator(panel)).toBeHidden();
  await expect(page.locator('.tour-area[data-area="Melt shop"]')).toBeVisible();
  await expect(page.locator('.tour-caption-large[data-tour-step="0"]')).toContainText(captions[0]!);
  await page.keyboard.press('PageDown');
  await expect(page.locator('.tour-caption-large[data-tour-step="1"]')).toContainText(captions[1]!);
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('.tour-caption-large[data-tour-step="0"]')).toContainText(captions[0]!);
  await page.keyboard.press('Escape');
  await expect(page.locator('.tour-presentation')).toHaveCount(0);
  await expect(page.locator('.status-bar')).toBeVisible();
  await expect(page.locator('.timeline')).toBeVisible();
});
