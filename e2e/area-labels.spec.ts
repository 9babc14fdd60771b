import { readFileSync } from 'node:fs';
import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { PNG } from 'pngjs';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { clickMachine, serveDemo, waitForFramedScene } from './twinline-server.ts';

// The demo's area labels, as a visitor sees them: every area named (the Melt shop too), each name
// centred over its own area (Utilities over the utilities yard, not beside the arc furnaces), and
// the inspector covering the labels rather than the labels drawing over the inspector.

const demoPlant = parsePlantOrThrow(readFileSync(new URL('../assets/demo-plant.yaml', import.meta.url), 'utf8'));
const demoAreas = [...new Set(demoPlant.machines.map((machine) => machine.area))];
const demoMachineIds = demoPlant.machines.map((machine) => machine.id);
/** A label's centre may be this share of its plate's size on screen away from the point over the plate's centre. */
const centredWithin = 0.1;
/** At least this share of a label's quad shows the label's colour in a screenshot: its letters are drawn (measured: 22–27 %, about 0 around it). */
const inkedShare = 0.1;

let demo: Awaited<ReturnType<typeof serveDemo>>;

test.beforeAll(async () => {
  demo = await serveDemo();
});

test.afterAll(async () => {
  await demo?.stop();
});

test.afterEach(async ({}, testInfo) => {
  if (demo) await testInfo.attach('twinline serve output', { body: demo.output(), contentType: 'text/plain' });
});

/** An area's label as the scene probe reports it (`AreaLabelOnScreen` in SceneProbe.tsx, which this project's Node type-check cannot import). */
interface AreaLabelOnScreen {
  area: string;
  text: string;
  inkPixels: number;
  anchor: [number, number, number];
  rect: { left: number; top: number; right: number; bottom: number };
  centre: { x: number; y: number };
  fade: number;
  drawn: boolean;
  plate: { worldCentre: [number, number, number]; centre: { x: number; y: number }; centreAtLabelHeight: { x: number; y: number }; width: number; height: number };
}

/** The part of the scene probe these tests use. */
interface ProbeWindow {
  twinlineProbe?: {
    areaLabels(): AreaLabelOnScreen[];
    screenPoint(point: [number, number, number]): { x: number; y: number };
  };
}

/**
 * The labels once every area has one drawn and none moves across several frames: the stage follows
 * the models' bounds as they load, and the plates and labels with it.
 */
async function settledLabels(page: Page): Promise<AreaLabelOnScreen[]> {
  let labels: AreaLabelOnScreen[] = [];
  await expect
    .poll(
      async () => {
        const reading = await page.evaluate(async () => {
          const probe = (window as unknown as ProbeWindow).twinlineProbe;
          if (!probe) return null;
          const before = probe.areaLabels();
          for (let frame = 0; frame < 3; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
          return { before, after: probe.areaLabels() };
        });
        if (!reading) return 'no scene probe yet';
        const { before, after } = reading;
        if (after.length !== demoAreas.length) return `${after.length} labels for ${demoAreas.length} areas`;
        const moving = after.find((label, index) => Math.abs(label.centre.x - before[index]!.centre.x) > 0.5 || Math.abs(label.centre.y - before[index]!.centre.y) > 0.5);
        if (moving) return `the ${moving.area} label is still moving`;
        const hidden = after.find((label) => !label.drawn);
        if (hidden) return `the ${hidden.area} label is not drawn (fade ${hidden.fade.toFixed(2)}, ${hidden.inkPixels} ink pixels)`;
        labels = after;
        return 'settled';
      },
      // The camera's first fit eases in over many frames, which SwiftShader on a busy machine draws slowly.
      { message: 'every area label is drawn and still', timeout: 120_000 },
    )
    .toBe('settled');
  return labels;
}

/**
 * The settled labels and a screenshot taken while they stay where they were read: the camera's fit
 * eases out slowly, a few pixels a second at its end, which three frames cannot tell from stillness.
 */
async function labelsInScreenshot(page: Page): Promise<{ labels: AreaLabelOnScreen[]; screenshot: PNG }> {
  let taken: { labels: AreaLabelOnScreen[]; screenshot: PNG } | undefined;
  await expect
    .poll(
      async () => {
        const labels = await settledLabels(page);
        const screenshot = PNG.sync.read(await page.screenshot());
        const after = await page.evaluate(() => (window as unknown as ProbeWindow).twinlineProbe!.areaLabels());
        const moved = after.find((label, index) => Math.abs(label.centre.x - labels[index]!.centre.x) > 0.5 || Math.abs(label.centre.y - labels[index]!.centre.y) > 0.5);
        if (moved) return `the ${moved.area} label moved while the screenshot was taken`;
        taken = { labels, screenshot };
        return 'still';
      },
      { message: 'the labels stay put while the page is captured', timeout: 120_000 },
    )
    .toBe('still');
  return taken!;
}

/** The canvas's top-left on the page: the probe measures from there. */
async function canvasOrigin(page: Page): Promise<{ x: number; y: number }> {
  const box = await page.locator('.viewport canvas').boundingBox();
  if (!box) throw new Error('the scene has no canvas');
  return { x: box.x, y: box.y };
}

/** Share of the pixels in a page rectangle that have the labels' colour (a light, nearly neutral grey), in a real screenshot. */
function labelColouredShare(screenshot: PNG, rect: { left: number; top: number; right: number; bottom: number }): number {
  let coloured = 0;
  let all = 0;
  for (let y = Math.max(0, Math.round(rect.top)); y < Math.min(screenshot.height, rect.bottom); y++) {
    for (let x = Math.max(0, Math.round(rect.left)); x < Math.min(screenshot.width, rect.right); x++) {
      const offset = (y * screenshot.width + x) * 4;
      const [r, g, b] = [screenshot.data[offset]!, screenshot.data[offset + 1]!, screenshot.data[offset + 2]!];
      all++;
      if (Math.min(r, g, b) > 140 && Math.max(r, g, b) - Math.min(r, g, b) < 40) coloured++;
    }
  }
  return all === 0 ? 0 : coloured / all;
}

/** What is painted on top at a point of the page. */
interface Hit {
  x: number;
  y: number;
  inInspector: boolean;
  isCanvas: boolean;
  description: string;
}

/** A label as one frame drew it, on the page, with what is painted on top of it. */
interface LabelCover {
  area: string;
  drawn: boolean;
  centre: { x: number; y: number };
  /** How far its centre moved over the last three frames, in pixels. */
  moved: number;
  /** Whether its centre is inside the inspector (by more than a few pixels), if the inspector is open. */
  centreUnderInspector: boolean;
  atCentre: Hit;
  /** A grid of points over where the label and the inspector overlap (none if they do not). */
  overInspector: Hit[];
}

/**
 * Every label, and what is painted on top at its centre and over its overlap with the inspector, all
 * read between two frames, so a label still coasting after a pan is tested where it is. Hit testing
 * skips elements that ignore the pointer (as drei's Html labels did, with `pointer-events: none`), so
 * every element takes the pointer while the points are tested: the hit is then what is painted there.
 */
async function whatCoversTheLabels(page: Page): Promise<LabelCover[]> {
  return page.evaluate(async () => {
    const probe = (window as unknown as ProbeWindow).twinlineProbe!;
    const before = probe.areaLabels();
    for (let frame = 0; frame < 3; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    const labels = probe.areaLabels();
    const canvas = document.querySelector('.viewport canvas')!.getBoundingClientRect();
    const inspectorElement = document.querySelector('aside.inspector');
    const inspector = inspectorElement?.getBoundingClientRect() ?? null;
    // The inspector's corners are rounded, and a point in a corner outside the curve is not the
    // inspector's: the grid keeps that far inside its edges.
    const inset = inspectorElement ? Math.max(1, parseFloat(getComputedStyle(inspectorElement).borderTopLeftRadius) || 0) + 1 : 1;
    // Each element's own style, since the page's content security policy refuses a <style> added here.
    const elements = [...document.querySelectorAll<HTMLElement | SVGElement>('*')];
    const styles = elements.map((element) => [element.style.getPropertyValue('pointer-events'), element.style.getPropertyPriority('pointer-events')] as const);
    for (const element of elements) element.style.setProperty('pointer-events', 'auto', 'important');
    const hit = (x: number, y: number): Hit => {
      const element = document.elementFromPoint(x, y);
      const description = element ? `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} "${(element.textContent ?? '').slice(0, 40)}"` : 'nothing';
      return { x, y, inInspector: element !== null && element.closest('aside.inspector') !== null, isCanvas: element instanceof HTMLCanvasElement, description };
    };
    try {
      return labels.map((label, index): LabelCover => {
        const centre = { x: canvas.x + label.centre.x, y: canvas.y + label.centre.y };
        const overInspector: Hit[] = [];
        let centreUnderInspector = false;
        if (inspector) {
          centreUnderInspector = centre.x > inspector.left + 4 && centre.x < inspector.right - 4 && centre.y > inspector.top + 4 && centre.y < inspector.bottom - 4;
          const left = Math.max(canvas.x + label.rect.left, inspector.left + inset);
          const top = Math.max(canvas.y + label.rect.top, inspector.top + inset);
          const right = Math.min(canvas.x + label.rect.right, inspector.right - inset);
          const bottom = Math.min(canvas.y + label.rect.bottom, inspector.bottom - inset);
          if (label.drawn && right > left && bottom > top) {
            for (let column = 0; column <= 4; column++) {
              for (let row = 0; row <= 2; row++) overInspector.push(hit(left + ((right - left) * column) / 4, top + ((bottom - top) * row) / 2));
            }
          }
        }
        const previous = before[index]?.centre ?? label.centre;
        return { area: label.area, drawn: label.drawn, centre, moved: Math.hypot(label.centre.x - previous.x, label.centre.y - previous.y), centreUnderInspector, atCentre: hit(centre.x, centre.y), overInspector };
      });
    } finally {
      elements.forEach((element, index) => element.style.setProperty('pointer-events', styles[index]![0], styles[index]![1]));
    }
  });
}

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${viewport.width}×${viewport.height}, every area's name is drawn centred over its area, and the inspector covers the labels`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto(demo.url);
    await waitForFramedScene(page, demoMachineIds);
    const { labels, screenshot } = await labelsInScreenshot(page);
    const origin = await canvasOrigin(page);

    // Every area has its name, none empty: the text in the texture has ink, and the frame shows it.
    expect(labels.map((label) => label.area).sort()).toEqual([...demoAreas].sort());
    for (const label of labels) {
      expect(label.text.trim(), `the ${label.area} label's text`).toBe(label.area.toUpperCase());
      expect(label.inkPixels, `ink in the ${label.area} label's texture`).toBeGreaterThan(0);
      const onPage = { left: origin.x + label.rect.left, top: origin.y + label.rect.top, right: origin.x + label.rect.right, bottom: origin.y + label.rect.bottom };
      expect(labelColouredShare(screenshot, onPage), `share of the ${label.area} label's quad showing its letters`).toBeGreaterThan(inkedShare);
    }

    // Each label stands over the centre of its own plate.
    for (const label of labels) {
      const offCentre = Math.hypot(label.centre.x - label.plate.centreAtLabelHeight.x, label.centre.y - label.plate.centreAtLabelHeight.y);
      const plateSize = Math.max(label.plate.width, label.plate.height);
      expect(offCentre, `pixels between the ${label.area} label and the point over its plate's centre (plate ${plateSize.toFixed(0)} px)`).toBeLessThanOrEqual(plateSize * centredWithin);
    }

    // Utilities is nearer the utilities plate than any other: each plate's centre is taken at the
    // Utilities label's height, where the eye connects the label to what is under it.
    const utilities = labels.find((label) => label.area === 'Utilities')!;
    const distances = await page.evaluate(
      ({ plates, height, centre }) => {
        const probe = (window as unknown as ProbeWindow).twinlineProbe!;
        return plates.map(({ area, worldCentre: [x, , z] }) => {
          const point = probe.screenPoint([x, height, z]);
          return { area, pixels: Math.hypot(point.x - centre.x, point.y - centre.y) };
        });
      },
      { plates: labels.map((label) => ({ area: label.area, worldCentre: label.plate.worldCentre })), height: utilities.anchor[1], centre: utilities.centre },
    );
    const nearest = distances.reduce((best, candidate) => (candidate.pixels < best.pixels ? candidate : best));
    expect(nearest.area, `the plate nearest the Utilities label (${JSON.stringify(distances)})`).toBe('Utilities');

    // The labels are drawn in the canvas, not as page elements: at each label's centre the page's
    // topmost element is the canvas (drei's Html labels were elements above it).
    for (const label of await whatCoversTheLabels(page)) expect(label.atCentre.isCanvas, `what is on top at the ${label.area} label: ${label.atCentre.description}`).toBe(true);

    // Select a machine: the inspector opens over the scene.
    const inspector = page.getByRole('complementary', { name: /^Inspector: / });
    await clickMachine(page, 'stand-f1', inspector);
    // The inspector hides what is under it: its background is all but opaque.
    const backgroundAlpha = await inspector.evaluate((element) => {
      const colour = getComputedStyle(element).backgroundColor;
      const parts = /rgba?\(([^)]+)\)/.exec(colour)?.[1]?.split(',').map(Number) ?? [];
      return parts.length === 4 ? parts[3]! : parts.length === 3 ? 1 : 0;
    });
    expect(backgroundAlpha).toBeGreaterThanOrEqual(0.95);

    // Bring a label under the inspector if none is (at 1920×1080 the plant is left of it): pan
    // (right-drag from free floor) the label needing the least move into the inspector's middle half.
    // A sideways pan moves the labels about as far as the mouse; one up the screen moves the target
    // over the floor, where the plant's pan bounds soon hold it: such moves count several times.
    const box = (await inspector.boundingBox())!;
    const canvasHeight = (await page.locator('.viewport canvas').boundingBox())!.height;
    const shiftInto = ({ centre: { x, y } }: LabelCover) => ({
      x: clamp(x, box.x + box.width / 4, box.x + (box.width * 3) / 4) - x,
      y: clamp(y, box.y + box.height / 4, box.y + (box.height * 3) / 4) - y,
    });
    let covers = await whatCoversTheLabels(page);
    for (let attempt = 0; attempt < 3 && !covers.some((label) => label.drawn && label.centreUnderInspector); attempt++) {
      const cost = (label: LabelCover) => Math.abs(shiftInto(label).x) + 6 * Math.abs(shiftInto(label).y);
      const chosen = covers.filter((label) => label.drawn).reduce((best, label) => (cost(label) < cost(best) ? label : best));
      const shift = shiftInto(chosen);
      const start = { x: origin.x + 40, y: origin.y + canvasHeight - 40 };
      await page.mouse.move(start.x, start.y);
      await page.mouse.down({ button: 'right' });
      await page.mouse.move(start.x + shift.x, start.y + shift.y, { steps: 10 });
      await page.mouse.up({ button: 'right' });
      // The pan coasts on (the orbit controls' damping) for a hundred frames or more, which SwiftShader
      // on a busy machine draws slowly: wait until a label is under the inspector or the pan stops short.
      await expect
        .poll(
          async () => {
            covers = await whatCoversTheLabels(page);
            if (covers.some((label) => label.drawn && label.centreUnderInspector)) return 'under the inspector';
            return covers.every((label) => label.moved < 1) ? 'stopped short' : 'moving';
          },
          { message: 'the pan brings a label under the inspector or stops', timeout: 120_000 },
        )
        .not.toBe('moving');
    }
    await expect(inspector).toBeVisible();
    expect(
      covers.filter((label) => label.drawn && label.centreUnderInspector).map((label) => label.area),
      'labels whose centre is under the inspector',
    ).not.toEqual([]);

    // Wherever a label and the inspector overlap, the inspector is on top: a grid of points over each
    // overlap, all hit the inspector.
    for (const label of covers) {
      for (const hit of label.overInspector) expect(hit.inInspector, `what is on top at (${hit.x.toFixed(0)}, ${hit.y.toFixed(0)}) over the ${label.area} label: ${hit.description}`).toBe(true);
    }
  });
}

/** `value`, kept within `low` and `high`. */
function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
