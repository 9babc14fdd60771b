import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// Issue 10's user path: from `twinline new` to a watched plant without writing YAML. A view of
// `serve --edit` adds two machines from GLB files (one from the models folder, one dropped on the
// view and uploaded; a glTF with a separate buffer is dropped too, and undone), places them (the robot by
// dragging it in the scene), binds three
// topics from the topic explorer (two dragged onto a machine, one picked in a payload), sets a limit
// and saves; after a restart the plant is the same and an over-limit publish alarms the right machine.
// The editor's actions, file round trip, undo and conflicts are proven in the plant-editing unit tests.
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const folder = temporaryFolder('twinline-e2e-editor-');
const plantFolder = join(folder, 'cell');
const plantFile = join(plantFolder, 'plant.yaml');
let twinline: TwinlineUnderTest | undefined;

test.beforeAll(async () => {
  // The broker URL is a placeholder: each server gets its own broker with --broker.
  execFileSync(process.execPath, ['bin/twinline.js', 'new', plantFolder, '--broker', 'mqtt://127.0.0.1:1883', '--name', 'Test cell'], { cwd: projectRoot });
  copyFileSync(join(projectRoot, 'models', 'robot.glb'), join(plantFolder, 'models', 'robot.glb'));
  twinline = await startTwinline(plantFile, ['--edit']);
});

test.afterAll(async () => {
  await twinline?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Publishes the cell's three topics, retained, so the topic explorer sees them as soon as it subscribes. */
async function publishCell(server: TwinlineUnderTest, temperature: number): Promise<void> {
  await server.publisher.publishAsync('cell/robot/temperature', JSON.stringify({ value: temperature }), { retain: true });
  await server.publisher.publishAsync('cell/robot/speed', '12', { retain: true });
  await server.publisher.publishAsync('cell/pump/pressure', JSON.stringify({ ts: Date.now(), value: 3.2 }), { retain: true });
}

/** Adds a machine from a model file of the models folder, named `name`. */
async function addMachineFromModelsFolder(page: Page, file: string, name: string, id: string): Promise<void> {
  await page.getByRole('button', { name: 'Add machine' }).click();
  const panel = page.getByRole('region', { name: 'Add a machine' });
  await panel.locator(`[data-model-file="${file}"]`).click();
  await panel.getByLabel('New machine name').fill(name);
  await panel.getByLabel('New machine area').fill('Cell');
  await panel.getByLabel('New machine line').fill('Line 1');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator(`.machine-list [data-machine="${id}"]`)).toBeVisible();
}

/** Drops model files from outside onto the scene together, as a user drags them in from the file manager. */
async function dropFiles(page: Page, files: Array<{ name: string; bytes: Buffer }>, id: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle((dropped) => {
    const transfer = new DataTransfer();
    for (const { name, base64 } of dropped) transfer.items.add(new File([Uint8Array.from(atob(base64), (character) => character.charCodeAt(0))], name));
    return transfer;
  }, files.map(({ name, bytes }) => ({ name, base64: bytes.toString('base64') })));
  await page.locator('.viewport canvas').dispatchEvent('drop', { dataTransfer });
  await expect(page.locator(`.machine-list [data-machine="${id}"]`)).toBeVisible();
}

/** A GLB made a .gltf whose buffer is a separate .bin file (named after the .gltf), as many CAD exports write them. */
function splitGlb(source: string, name: string): Array<{ name: string; bytes: Buffer }> {
  const glb = readFileSync(source);
  const jsonLength = glb.readUInt32LE(12);
  const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8')) as { buffers: Array<{ byteLength: number; uri?: string }> };
  const binLength = glb.readUInt32LE(20 + jsonLength);
  const binName = name.replace(/\.gltf$/, '.bin');
  json.buffers[0]!.uri = binName;
  return [
    { name, bytes: Buffer.from(JSON.stringify(json)) },
    { name: binName, bytes: glb.subarray(28 + jsonLength, 28 + jsonLength + binLength) },
  ];
}

/** Places the selected machine (a new machine is selected) at x along the floor (z where the camera looked) with the properties form; the gizmo sends the same action. */
async function placeSelected(page: Page, name: string, x: number): Promise<void> {
  const properties = page.getByRole('region', { name: 'Machine properties' });
  await expect(properties.getByLabel('Name')).toHaveValue(name);
  await properties.getByLabel('Position x').fill(String(x));
  await properties.getByLabel('Position x').press('Enter');
  await expect(properties.getByLabel('Position x')).toHaveValue(String(x));
}

interface ProbeWindow {
  twinlineProbe?: {
    machineBounds(id: string): { min: [number, number, number]; max: [number, number, number] } | null;
    screenPoint(point: [number, number, number]): { x: number; y: number };
  };
}

/**
 * Drags the selected machine by its body across the floor with real mouse events, `by` metres along x
 * and z; where to press and where to let go come from the camera the page reports, not from fixed pixels.
 * Returns its place on the floor before the drag, as the properties show it. With `midway`, that is
 * done (a key pressed, say) before the button is let go.
 */
async function dragSelectedOnFloor(page: Page, id: string, by: { x: number; z: number }, midway?: () => Promise<void>): Promise<{ x: number; z: number }> {
  // At 1024 px the inspector covers the middle of the scene, where a new machine is put: a desktop-sized window shows it.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await waitForFramedScene(page, [id]);
  const properties = page.getByRole('region', { name: 'Machine properties' });
  const before = { x: Number(await properties.getByLabel('Position x').inputValue()), z: Number(await properties.getByLabel('Position z').inputValue()) };
  const { from, to } = await page.evaluate(
    ({ machineId, offset }) => {
      const probe = (window as unknown as ProbeWindow).twinlineProbe!;
      const bounds = probe.machineBounds(machineId)!;
      // High on the machine: well clear of the gizmo's handles on the floor.
      const grab: [number, number, number] = [(bounds.min[0] + bounds.max[0]) / 2, bounds.min[1] + (bounds.max[1] - bounds.min[1]) * 0.8, (bounds.min[2] + bounds.max[2]) / 2];
      return { from: probe.screenPoint(grab), to: probe.screenPoint([grab[0] + offset.x, grab[1], grab[2] + offset.z]) };
    },
    { machineId: id, offset: by },
  );
  const canvas = (await page.locator('.viewport canvas').boundingBox())!;
  const press = { x: canvas.x + from.x, y: canvas.y + from.y };
  expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName, press), 'the machine is not covered where it is pressed').toBe('CANVAS');
  await page.mouse.move(press.x, press.y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + to.x, canvas.y + to.y, { steps: 8 });
  await midway?.();
  await page.mouse.up();
  await page.setViewportSize({ width: 1024, height: 700 });
  return before;
}

/** The README's picture of edit mode (only when asked for, with TWINLINE_EDITOR_SCREENSHOT=FILE): wider, the scene framed. */
async function takeScreenshot(page: Page, file: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByRole('button', { name: 'Fit plant' }).click();
  await waitForFramedScene(page, ['robot-1', 'pump']);
  const problems = page.locator('.status-bar button', { hasText: /problem/ });
  if ((await problems.count()) > 0) {
    await problems.first().click();
    console.log(`Problems shown: ${await page.locator('.problems-panel').allTextContents()}`);
    await problems.first().click();
  }
  await page.getByRole('region', { name: 'Machine properties' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: file });
  await page.setViewportSize({ width: 1024, height: 700 });
}

test('a plant is built by pointing: machines from GLB files, topics bound from the explorer, a limit, saved; it reloads the same after a restart and alarms', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // The size the topic explorer is made to fit; a smaller canvas also costs the software renderer less.
  await page.setViewportSize({ width: 1024, height: 700 });
  try {
    await publishCell(twinline!, 40);
    await page.goto(twinline!.url);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const toolbar = page.getByRole('toolbar', { name: 'Plant editor' });
    await expect(toolbar.locator('[data-unsaved]')).toHaveAttribute('data-unsaved', 'false');

    await addMachineFromModelsFolder(page, 'robot.glb', 'Robot 1', 'robot-1');
    // A drag cancelled with Escape leaves the machine where it was, and the inspector open.
    const robotBefore = await dragSelectedOnFloor(page, 'robot-1', { x: -2.2, z: 1.2 }, () => page.keyboard.press('Escape'));
    await expect(page.getByRole('region', { name: 'Machine properties' }).getByLabel('Position x')).toHaveValue(String(robotBefore.x));
    await expect(page.getByRole('region', { name: 'Machine properties' }).getByLabel('Position z')).toHaveValue(String(robotBefore.z));
    // Placed by pointing: dragged 2.2 m to the left and 1.2 m nearer, it lands on the 0.5 m grid, 2 m and 1 m on.
    const farLevelsMade = () => page.evaluate(() => performance.getEntriesByName('twinline far levels', 'measure').length);
    const robotLeftEdge = () => page.evaluate(() => (window as unknown as ProbeWindow).twinlineProbe?.machineBounds('robot-1')?.min[0] ?? null);
    const [madeBeforeMove, edgeBeforeMove] = [await farLevelsMade(), await robotLeftEdge()];
    const robotWas = await dragSelectedOnFloor(page, 'robot-1', { x: -2.2, z: 1.2 });
    expect(robotWas, 'the cancelled drag moved the machine').toEqual(robotBefore);
    const robotAt = { x: robotWas.x - 2, z: robotWas.z + 1 };
    await expect(page.getByRole('region', { name: 'Machine properties' }).getByLabel('Position x')).toHaveValue(String(robotAt.x));
    await expect(page.getByRole('region', { name: 'Machine properties' }).getByLabel('Position z')).toHaveValue(String(robotAt.z));
    // Drawn where it was dropped without its model's far levels being made again (the kind hidden meanwhile).
    await expect.poll(robotLeftEdge).toBeCloseTo(edgeBeforeMove! - 2, 3);
    expect(await farLevelsMade(), 'a move made the far levels again').toBe(madeBeforeMove);
    // An undo from the keyboard mid-drag puts the robot back and takes its gizmo away: the drag ends with
    // it, nothing is sent on release, and the scene does not go on taking clicks for the gizmo's.
    const properties = page.getByRole('region', { name: 'Machine properties' });
    await dragSelectedOnFloor(page, 'robot-1', { x: 1, z: 0 }, async () => {
      await page.keyboard.press('Control+z');
      await expect(properties.getByLabel('Position x')).toHaveValue(String(robotWas.x));
    });
    await page.keyboard.press('Control+y');
    await expect(properties.getByLabel('Position x')).toHaveValue(String(robotAt.x));
    await expect(properties.getByLabel('Position z')).toHaveValue(String(robotAt.z));
    // The robot is the plant's one machine: any point of the canvas no panel covers, away from it, is empty floor.
    await page.setViewportSize({ width: 1920, height: 1080 });
    const emptyFloor = await page.evaluate((at) => {
      const canvas = document.querySelector('.viewport canvas')!.getBoundingClientRect();
      const robot = (window as unknown as ProbeWindow).twinlineProbe!.screenPoint([at.x, 0, at.z]);
      for (let y = canvas.top + 20; y < canvas.bottom; y += 40) {
        for (let x = canvas.left + 20; x < canvas.right; x += 40) {
          if (document.elementFromPoint(x, y)?.tagName === 'CANVAS' && Math.hypot(x - canvas.left - robot.x, y - canvas.top - robot.y) > 300) return { x, y };
        }
      }
      return null;
    }, robotAt);
    expect(emptyFloor, 'no empty floor to click').not.toBeNull();
    // A click within a moment of a drag's end is the drag's: clicked until one is the scene's.
    await expect(async () => {
      await page.mouse.click(emptyFloor!.x, emptyFloor!.y);
      await expect(properties).toBeHidden({ timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.locator(`.machine-list [data-machine="robot-1"]`).click();
    // The second model is not in the models folder: dropped on the view, it is uploaded there.
    await dropFiles(page, [{ name: 'pump.glb', bytes: readFileSync(join(projectRoot, 'models', 'pump.glb')) }], 'pump');
    await placeSelected(page, 'Pump', robotAt.x + 6);
    // A .gltf with its buffer in a separate file, dropped together: packed into one .glb in the models folder,
    // whose model loads. Undone, it leaves the plant as it was.
    await dropFiles(page, splitGlb(join(projectRoot, 'models', 'conveyor.glb'), 'conveyor.gltf'), 'conveyor');
    await expect.poll(() => page.evaluate(() => ((window as unknown as ProbeWindow).twinlineProbe?.machineBounds('conveyor') ?? null) !== null)).toBe(true);
    expect(readdirSync(join(plantFolder, 'models')).sort()).toEqual(['conveyor.glb', 'pump.glb', 'robot.glb']);
    await toolbar.getByRole('button', { name: 'Undo' }).click();
    await expect(page.locator('.machine-list [data-machine="conveyor"]')).toHaveCount(0);
    await expect(toolbar.locator('[data-unsaved]')).toHaveAttribute('data-unsaved', 'true');

    // Two topics dragged from the explorer onto the robot's row of the machine list.
    await page.getByRole('button', { name: 'Topics' }).click();
    const explorer = page.getByRole('region', { name: 'Topic explorer' });
    await explorer.getByRole('button', { name: 'Expand cell', exact: true }).click();
    await explorer.getByRole('button', { name: 'Expand cell/robot', exact: true }).click();
    await explorer.getByRole('button', { name: 'Expand cell/pump', exact: true }).click();
    // Each folder's rows come from the host after its click: until the pump's have come, they may arrive
    // mid-drag above the robot's and move another topic under the pointer (a loaded machine once bound
    // "speed" so).
    await expect(explorer.locator('.topic-row[data-topic="cell/pump/pressure"]')).toBeVisible();
    await expect(explorer.locator('.topic-row[data-topic="cell/robot/speed"]')).toBeVisible();
    const robotRow = page.locator('.machine-list [data-machine="robot-1"]');
    await explorer.locator('.topic-row[data-topic="cell/robot/temperature"]').dragTo(robotRow);
    await expect(page.locator('[data-edit-signal="temperature"]')).toBeVisible();
    await explorer.locator('.topic-row[data-topic="cell/robot/speed"]').dragTo(robotRow);
    await expect(page.locator('[data-edit-signal="speed"]')).toBeVisible();

    // The third picked in the pump's payload and bound to the selected pump.
    await page.locator('.machine-list [data-machine="pump"]').click();
    await explorer.locator('.topic-row[data-topic="cell/pump/pressure"]').getByRole('button', { name: 'pressure' }).click();
    await explorer.locator('.json-pick[data-json-path="value"]').click();
    await explorer.getByRole('button', { name: 'Bind to Pump' }).click();
    await expect(page.locator('[data-edit-signal="pressure"]')).toBeVisible();
    await page.getByRole('button', { name: 'Close the topic explorer' }).click();

    // A limit on the robot's temperature.
    await robotRow.click();
    const highAlarm = page.getByLabel('temperature highAlarm');
    await highAlarm.fill('80');
    await highAlarm.press('Enter');
    await expect(toolbar.getByRole('button', { name: 'Undo' })).toHaveAttribute('title', /Change robot-1\/temperature/);

    if (process.env.TWINLINE_EDITOR_SCREENSHOT) await takeScreenshot(page, process.env.TWINLINE_EDITOR_SCREENSHOT);

    await page.keyboard.press('Control+s');
    await expect(toolbar.locator('[data-unsaved]')).toHaveAttribute('data-unsaved', 'false');
    const saved = readFileSync(plantFile, 'utf8');
    const plant = parsePlantOrThrow(saved);
    expect(plant.machines).toMatchObject([
      { id: 'robot-1', name: 'Robot 1', area: 'Cell', line: 'Line 1', model: { file: 'robot.glb' }, position: [robotAt.x, 0, robotAt.z], signals: [{ id: 'temperature', topic: 'cell/robot/temperature', path: 'value', limits: { highAlarm: 80 } }, { id: 'speed', topic: 'cell/robot/speed' }] },
      { id: 'pump', name: 'Pump', model: { file: 'pump.glb' }, position: [robotAt.x + 6, 0, expect.any(Number)], signals: [{ id: 'pressure', topic: 'cell/pump/pressure', path: 'value' }] },
    ]);
    expect(readFileSync(join(plantFolder, 'models', 'pump.glb')).equals(readFileSync(join(projectRoot, 'models', 'pump.glb')))).toBe(true);
    // The comments twinline new wrote are still there.
    expect(saved).toContain('# ');

    // A restart: the same file, and the view shows the same plant.
    await twinline!.stop();
    twinline = await startTwinline(plantFile, ['--edit']);
    expect(readFileSync(plantFile, 'utf8')).toBe(saved);
    await page.goto(twinline.url);
    await expect(page.locator('.machine-list [data-machine]')).toHaveCount(2);
    await expect(page.locator('.machine-list [data-machine="robot-1"]')).toContainText('Robot 1');
    await expect(page.locator('.machine-list [data-machine="pump"]')).toContainText('Pump');
    await page.locator('.machine-list [data-machine="robot-1"]').click();
    const inspector = page.getByRole('complementary', { name: 'Inspector: Robot 1' });
    await expect(inspector.locator('tr[data-signal="temperature"] .limits')).toContainText('/ 80');

    // Over the limit: the robot turns to alarm, the pump does not.
    await publishCell(twinline, 95);
    await expect(page.locator('.machine-list [data-machine="robot-1"] [data-health]')).toHaveAttribute('data-health', 'alarm');
    await expect(page.locator('.machine-list [data-machine="pump"] [data-health]')).not.toHaveAttribute('data-health', 'alarm');
  } finally {
    await testInfo.attach('twinline serve output', { body: twinline?.output() ?? '', contentType: 'text/plain' });
  }
});
