import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { PNG } from 'pngjs';
import { fixtureModels } from '../scripts/write-cad-fixtures.ts';
import { isAlarmRed, startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';

type Vector3 = [number, number, number];
interface Bounds {
  min: Vector3;
  max: Vector3;
}

/**
 * The machines of e2e/fixtures/cad/plant.yaml: each model file's bounds (from the script that writes it),
 * placed as the plant says. `turn` is the quarter turns about the vertical (the model's and the
 * machine's rotation: both 90°), `offset` the model's shift in metres.
 */
const machines: Array<{ id: string; file: string; position: Vector3; turns?: number; offset?: Vector3 }> = [
  { id: 'milling', file: 'milling-machine-draco.glb', position: [-8, 0, -5] },
  { id: 'robot', file: 'robot-meshopt.glb', position: [0, 0, -5] },
  { id: 'agv', file: 'agv-ktx2.glb', position: [8, 0, -5], turns: 1 },
  { id: 'conveyor', file: 'conveyor.gltf', position: [-8, 0, 5], turns: 1 },
  { id: 'welding', file: 'welding-cell.glb', position: [0, 0, 5], offset: [0.5, 0, 0] },
  { id: 'press', file: 'press-mm-zup.glb', position: [8, 0, 5] },
];

/** Bounds turned a quarter turn about y, as three turns by +90°: x takes the old z, z the old -x. */
function quarterTurn({ min, max }: Bounds): Bounds {
  return { min: [min[2], min[1], -max[0]], max: [max[2], max[1], -min[0]] };
}

/** Where a machine must reach in the scene: its model's bounds, turned, shifted and placed. */
function expectedBounds(machine: (typeof machines)[number]): Bounds {
  let bounds: Bounds = fixtureModels.find((model) => model.file === machine.file)!.bounds;
  for (let turn = 0; turn < (machine.turns ?? 0); turn++) bounds = quarterTurn(bounds);
  const shift = machine.position.map((value, axis) => value + (machine.offset?.[axis] ?? 0));
  return { min: bounds.min.map((value, axis) => value + shift[axis]!) as Vector3, max: bounds.max.map((value, axis) => value + shift[axis]!) as Vector3 };
}

interface CadProbe {
  machineBounds(id: string): Bounds | null;
  screenPoint(point: Vector3): { x: number; y: number };
}

/** The screen rectangle (CSS pixels in the canvas) that holds a machine's bounds, from their eight corners. */
async function screenRectangle(page: Page, bounds: Bounds): Promise<{ left: number; top: number; right: number; bottom: number }> {
  return page.evaluate(({ min, max }) => {
    const probe = (window as unknown as { twinlineProbe: CadProbe }).twinlineProbe;
    const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((corner) => probe.screenPoint([corner & 1 ? max[0] : min[0], corner & 2 ? max[1] : min[1], corner & 4 ? max[2] : min[2]]));
    const xs = corners.map((point) => point.x);
    const ys = corners.map((point) => point.y);
    return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
  }, bounds);
}

let twinline: TwinlineUnderTest;
const consoleErrors: string[] = [];
let publishing: ReturnType<typeof setInterval> | undefined;

test.beforeAll(async () => {
  twinline = await startTwinline('e2e/fixtures/cad/plant.yaml');
});

test.afterAll(async () => {
  clearInterval(publishing);
  await twinline?.stop();
});

// What the host printed goes with the test's results, for a failure on a loaded machine that cannot be rerun at will.
test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

test('CAD models in every encoding load with no problem, stand at their place and size, and are drawn', async ({ page }) => {
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  // The machine in alarm (over its 90 kW limit); every other one reads a normal 40 kW.
  let alarmed: string | undefined;
  const publish = () => machines.forEach((machine) => twinline.publisher.publish(`cad/${machine.id}/power`, JSON.stringify({ value: machine.id === alarmed ? 95 : 40 })));
  publish();
  publishing = setInterval(publish, 200);

  await page.goto(twinline.url);
  await expect(page.locator('.status-bar')).toContainText('CAD fixture cell');
  await waitForFramedScene(
    page,
    machines.map((machine) => machine.id),
  );

  await test.step('no problem is listed', async () => {
    await expect(page.locator('.problems-panel')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  await test.step('each machine stands at its expected place and size', async () => {
    for (const machine of machines) {
      const bounds = await page.evaluate((id) => (window as unknown as { twinlineProbe: CadProbe }).twinlineProbe.machineBounds(id), machine.id);
      const expected = expectedBounds(machine);
      expect(bounds, machine.id).not.toBeNull();
      // Draco and 16-bit quantization move vertices by well under a centimetre here.
      for (const axis of [0, 1, 2]) {
        expect(Math.abs(bounds!.min[axis]! - expected.min[axis]!), `${machine.id} (${machine.file}) min[${axis}]: ${bounds!.min[axis]} not ${expected.min[axis]}`).toBeLessThan(0.02);
        expect(Math.abs(bounds!.max[axis]! - expected.max[axis]!), `${machine.id} (${machine.file}) max[${axis}]: ${bounds!.max[axis]} not ${expected.max[axis]}`).toBeLessThan(0.02);
      }
    }
  });

  const canvas = (await page.locator('.viewport canvas').boundingBox())!;
  await test.info().attach('the CAD plant', { body: await page.locator('.viewport canvas').screenshot(), contentType: 'image/png' });

  // One machine at a time goes into alarm: red pixels inside its screen rectangle, and hardly any outside
  // it, show that its own geometry is drawn there, whatever its shape and its holes.
  for (const machine of machines) {
    await test.step(`${machine.id} (${machine.file}) is visible in a screenshot`, async () => {
      const rectangle = await screenRectangle(page, expectedBounds(machine));
      const redPixels = async () => {
        const image = PNG.sync.read(await page.screenshot({ clip: canvas }));
        let inside = 0;
        let outside = 0;
        for (let y = 0; y < image.height; y++) {
          for (let x = 0; x < image.width; x++) {
            const offset = (y * image.width + x) * 4;
            if (!isAlarmRed({ r: image.data[offset]!, g: image.data[offset + 1]!, b: image.data[offset + 2]! })) continue;
            if (x >= rectangle.left && x <= rectangle.right && y >= rectangle.top && y <= rectangle.bottom) inside++;
            else outside++;
          }
        }
        return { inside, outside };
      };
      alarmed = machine.id;
      await expect
        .poll(async () => {
          const { inside, outside } = await redPixels();
          return inside >= 40 && outside < inside / 10 ? 'red where it stands' : `${inside} red pixels inside its rectangle, ${outside} outside`;
        }, { message: `${machine.id} in alarm is red on screen where its bounds are` })
        .toBe('red where it stands');
      await test.info().attach(`${machine.id} in alarm`, { body: await page.locator('.viewport canvas').screenshot(), contentType: 'image/png' });
      alarmed = undefined;
      await expect(page.locator(`[data-machine="${machine.id}"] [data-health]`)).toHaveAttribute('data-health', 'ok');
    });
  }

  expect(consoleErrors).toEqual([]);
});
