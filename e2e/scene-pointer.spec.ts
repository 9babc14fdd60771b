import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { clickMachine, machineOnScreen, startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';

// Panning the scene (right drag) is not a click on empty space: the inspector stays open. A left
// click on empty floor still closes it.

let twinline: TwinlineUnderTest;

test.beforeAll(async () => {
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml');
});

test.afterAll(async () => {
  await twinline?.stop();
});

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${viewport.width}×${viewport.height}, a right-drag pan keeps the inspector open and a click on empty floor closes it`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto(twinline.url);
    await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);
    const inspector = page.getByRole('complementary', { name: 'Inspector: Press 1' });
    const press = await clickMachine(page, 'press-1', inspector);

    // Empty floor: a point of the canvas well away from every machine, left of the panels.
    const canvas = (await page.locator('.viewport canvas').boundingBox())!;
    const empty = { x: Math.round(canvas.x + canvas.width * 0.12), y: Math.round(canvas.y + canvas.height * 0.85) };
    await page.mouse.move(empty.x, empty.y);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(empty.x + 60, empty.y - 30, { steps: 6 });
    await page.mouse.up({ button: 'right' });
    // The pan moved the view (the press is elsewhere on screen) and the inspector is still there.
    await expect.poll(async () => (await machineOnScreen(page, 'press-1')).x).not.toBe(press.x);
    await expect(inspector).toBeVisible();

    await page.mouse.click(empty.x, empty.y);
    await expect(inspector).toBeHidden();
  });
}

test('a wheel zooms towards the plant, and the damped camera comes to rest', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);
  const camera = () => page.evaluate(() => (window as unknown as { twinlineProbe: { cameraPosition(): [number, number, number] } }).twinlineProbe.cameraPosition());
  const length = ([x, y, z]: [number, number, number]) => Math.hypot(x, y, z);
  const before = length(await camera());
  const canvas = (await page.locator('.viewport canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => length(await camera())).toBeLessThan(before * 0.95);
  // At rest: two reads a second apart agree (the controls stop updating once the damping has died out).
  await expect
    .poll(async () => {
      const first = await camera();
      await page.waitForTimeout(1_000);
      const second = await camera();
      return Math.hypot(first[0] - second[0], first[1] - second[1], first[2] - second[2]);
    })
    .toBeLessThan(0.01);
});
