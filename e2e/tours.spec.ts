import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parse, stringify } from 'yaml';
import { serveDemo } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// A manager's walkthrough on the demo: two viewpoints and a three-step tour saved from the view,
// kept in the tours file across a reload, then presented with every panel hidden: paused, stepped
// by the keys a clicker sends, the camera arriving at each viewpoint and each caption shown, and
// resumed to play out its last step. A step given the moment shown in replay replays it when played.
// A wall display opened on the kiosk address goes on with its tour when the host restarts.

const folder = temporaryFolder('twinline-e2e-tours-');
const toursFile = join(folder, 'demo.tours.yaml');
/** How close (metres) the camera must come to a viewpoint's position to have arrived. */
const arrivedWithin = 0.3;
/** The tour the server's kiosk address loops; the walkthrough test never makes it, so its page is no kiosk. */
const kioskTour = 'Wall loop';
const serveArguments = ['--tours', toursFile, '--kiosk', kioskTour];
let demo: Awaited<ReturnType<typeof serveDemo>>;

test.beforeAll(async () => {
  demo = await serveDemo(serveArguments);
});

/** The server's address without the kiosk's `?present=`: an ordinary view. */
function viewUrl(): string {
  const url = new URL(demo.url);
  url.search = '';
  return url.href;
}

test.afterAll(async () => {
  await demo?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (demo) await testInfo.attach('twinline serve output', { body: demo.output(), contentType: 'text/plain' });
});

interface ToursFile {
  viewpoints: Array<{ name: string; position: [number, number, number] }>;
  tours: Array<{ name: string; steps: Array<{ viewpoint: string; caption: string; seconds: number; from?: number }> }>;
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

/** Waits until step `step` is shown, its caption reading `text`, with the camera at `position`: read together in one go, so a short step is not missed between two reads. */
async function expectStepShown(page: Page, step: number, text: string, position: [number, number, number], what: string): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          ({ step, text, position, within }) => {
            const caption = document.querySelector('.tour-caption');
            const shown = caption?.getAttribute('data-tour-step');
            if (shown === String(step) && !caption!.textContent!.includes(text)) return `step ${shown} shows "${caption!.textContent}"`;
            const now = (window as unknown as { twinlineProbe?: { cameraPosition(): [number, number, number] } }).twinlineProbe?.cameraPosition();
            if (shown !== String(step) || !now) return `step ${shown ?? 'none'} shown`;
            const distance = Math.hypot(now[0] - position[0], now[1] - position[1], now[2] - position[2]);
            return distance < within ? 'arrived' : `${distance.toFixed(2)} m away`;
          },
          { step, text, position, within: arrivedWithin },
        ),
      { message: `the camera arrives at ${what}`, intervals: [100] },
    )
    .toBe('arrived');
}

test('save two viewpoints and a three-step tour, reload, and present it step by step', async ({ page }) => {
  await page.goto(viewUrl());
  await expect.poll(() => cameraPosition(page), { message: 'the scene is up', timeout: 120_000 }).not.toBeNull();
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
  // The first step is long enough to pause it however slow the machine; the last plays out.
  const seconds = ['20', '4', '3'];
  for (const [index, caption] of captions.entries()) {
    await page.getByRole('button', { name: 'Add step', exact: true }).click();
    await page.getByLabel(`Viewpoint of step ${index + 1}`).selectOption(viewpoints[index]!);
    await expect(page.getByLabel(`Viewpoint of step ${index + 1}`)).toHaveValue(viewpoints[index]!);
    await page.getByLabel(`Seconds of step ${index + 1}`).fill(seconds[index]!);
    await expect(page.getByLabel(`Seconds of step ${index + 1}`)).toHaveValue(seconds[index]!);
    await page.getByLabel(`Caption of step ${index + 1}`).fill(caption);
    await page.getByLabel(`Caption of step ${index + 1}`).blur();
    await expect(page.getByLabel(`Caption of step ${index + 1}`)).toHaveValue(caption);
  }
  // What the view saved is in the tours file, whole.
  await expect
    .poll(() => readTours()?.tours[0]?.steps.map((step) => [step.viewpoint, step.caption, step.seconds]), { message: 'the tour is in the tours file' })
    .toEqual(viewpoints.map((viewpoint, index) => [viewpoint, captions[index], Number(seconds[index])]));
  const saved = readTours()!;
  expect(saved.viewpoints.map((viewpoint) => viewpoint.name)).toEqual(['Furnaces', 'Mill']);
  const positionOf = (name: string) => saved.viewpoints.find((viewpoint) => viewpoint.name === name)!.position;
  // The two viewpoints are far enough apart that arriving at one is not being at the other.
  expect(Math.hypot(...positionOf('Furnaces').map((value, axis) => value - positionOf('Mill')[axis]!))).toBeGreaterThan(5);

  await page.reload();
  await expect.poll(() => cameraPosition(page), { message: 'the scene is up again', timeout: 120_000 }).not.toBeNull();
  await page.getByRole('button', { name: 'Tours' }).click();
  await expect(page.getByLabel('Tour', { exact: true })).toHaveValue('Morning walk');

  // Presenting hides every panel and plays the tour; Space pauses it, and the presenter steps by hand.
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.locator('.tour-caption-large[data-tour-step="0"]')).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.locator('.tour-caption-large[data-tour-step="0"]')).toContainText('paused');
  await expect(page.locator('.tour-presentation')).toBeVisible();
  for (const panel of ['.status-bar', '.sidebar', '.timeline', '.tours-panel', '.tours-button']) await expect(page.locator(panel)).toBeHidden();
  await expect(page.locator('.tour-area[data-area="Melt shop"]')).toBeVisible();
  for (const [index, caption] of captions.entries()) {
    await expectStepShown(page, index, `${caption}Morning walk · ${index + 1} / 3 · paused`, positionOf(viewpoints[index]!), `${viewpoints[index]} (step ${index + 1})`);
    // A clicker's PageDown, and → which only presentation mode takes from the timeline.
    if (index === 0) await page.keyboard.press('PageDown');
    if (index === 1) await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('.tour-caption-large[data-tour-step="1"]')).toContainText(captions[1]!);
  await page.keyboard.press('PageDown');
  await expect(page.locator('.tour-caption-large[data-tour-step="2"]')).toContainText(captions[2]!);
  // Resumed, the last step stays its seconds and the tour ends.
  await page.keyboard.press(' ');
  await expect(page.locator('.tour-caption')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('.tour-presentation')).toHaveCount(0);
  await expect(page.locator('.status-bar')).toBeVisible();
  await expect(page.locator('.timeline')).toBeVisible();
});

test('a step given the moment shown in replay replays that moment when played, until the moment is removed', async ({ page }) => {
  // A tour written by hand, as a plant's tours file may be: one step long enough to be read while it plays.
  writeFileSync(
    toursFile,
    stringify({
      version: 1,
      viewpoints: [{ name: 'Overview', position: [40, 30, 40], target: [0, 0, 0] }],
      tours: [{ name: 'Moment walk', steps: [{ viewpoint: 'Overview', caption: 'The moment shown.', seconds: 20 }] }],
    }),
  );
  await page.goto(viewUrl());
  await expect.poll(() => cameraPosition(page), { message: 'the scene is up', timeout: 120_000 }).not.toBeNull();
  const timeline = page.locator('.timeline');
  const shownTime = page.getByLabel('Shown time');
  // The demo records from its start: once it holds over 30 s, the recording's start is told apart from now.
  const strip = page.getByRole('slider', { name: 'Time' });
  await expect
    .poll(async () => Number(await strip.getAttribute('aria-valuemax')) - Number(await strip.getAttribute('aria-valuemin')), { message: 'the demo has recorded over 30 s', timeout: 90_000 })
    .toBeGreaterThan(35_000);

  // In replay, the step is given the moment shown; played from live, the step shows that moment again.
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(timeline).toHaveAttribute('data-player-mode', 'replay');
  const entered = Number(await timeline.getAttribute('data-player-time'));
  // The recording's start, long before now: a step that showed the latest moment instead would be told apart.
  await page.keyboard.press('Home');
  await expect.poll(async () => entered - Number(await timeline.getAttribute('data-player-time')), { message: 'the replay is at the recording\'s start' }).toBeGreaterThan(30_000);
  await expect(shownTime).toContainText('Replay ');
  const moment = Number(await timeline.getAttribute('data-player-time'));
  const momentText = (await shownTime.textContent())!.replace('Replay ', '').trim();
  await page.getByRole('button', { name: 'Tours' }).click();
  await page.getByLabel('Tour', { exact: true }).selectOption('Moment walk');
  await page.getByRole('button', { name: 'Use the shown moment for step 1' }).click();
  await expect(page.locator('.tour-step[data-step="0"] time')).toHaveText(`⏱ ${momentText}`);
  await expect.poll(() => readTours()?.tours[0]?.steps[0]?.from, { message: 'the step\'s moment is in the tours file' }).toBe(moment);
  await page.getByRole('button', { name: '● Live' }).click();
  await expect(timeline).toHaveAttribute('data-player-mode', 'live');
  await page.getByRole('button', { name: '▶ Play' }).click();
  await expect(page.locator('.tour-caption[data-tour-step="0"]')).toBeVisible();
  // Played at 1× from the moment, so within the step's 20 s after it (live is over 30 s later).
  await expect
    .poll(
      async () => {
        const [mode, time] = await Promise.all([timeline.getAttribute('data-player-mode'), timeline.getAttribute('data-player-time')]);
        const after = Number(time) - moment;
        return mode === 'replay' && after >= 0 && after < 20_000 ? 'at the moment' : `${mode} ${after} ms after the moment`;
      },
      { message: 'the step shows its recorded moment' },
    )
    .toBe('at the moment');
  await expect(shownTime).toContainText(`Replay ${momentText.slice(0, 10)}`);
  await page.keyboard.press('Escape');
  await expect(page.locator('.tour-caption')).toHaveCount(0);
  // Removed again, the step shows the plant as it is when played.
  await page.getByRole('button', { name: 'Remove the moment of step 1' }).click();
  await expect(page.locator('.tour-step[data-step="0"] time')).toHaveCount(0);
  await expect.poll(() => readTours()?.tours[0]?.steps[0], { message: 'the step\'s moment is gone from the tours file' }).not.toHaveProperty('from');
});

test('a kiosk goes on with its tour when the host restarts', async ({ page }) => {
  // Two steps of two seconds, looped: the wall display's tour, written by hand as a plant's tours file may be.
  writeFileSync(
    toursFile,
    stringify({
      version: 1,
      viewpoints: [
        { name: 'Wall east', position: [40, 30, 40], target: [0, 0, 0] },
        { name: 'Wall west', position: [-40, 30, 40], target: [0, 0, 0] },
      ],
      tours: [{ name: kioskTour, steps: [{ viewpoint: 'Wall east', caption: 'East', seconds: 2 }, { viewpoint: 'Wall west', caption: 'West', seconds: 2 }] }],
    }),
  );
  const caption = page.locator('.tour-caption-large');
  const hostLost = page.locator('.status-bar').getByText('Host connection lost');
  await page.goto(demo.url);
  await expect(caption).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('.tour-presentation')).toBeVisible();

  // The host stops and starts again on the same address, as a service manager restarts it.
  const port = new URL(demo.url).port;
  await demo.stop();
  await expect(hostLost).toHaveCount(1);
  demo = await serveDemo([...serveArguments, '--port', port]);
  expect(new URL(demo.url).port).toBe(port);

  // The page links to the new host by itself and is still presenting, and the tour goes on: its step changes after the link.
  await expect(hostLost).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('.tour-presentation')).toBeVisible();
  const stepAfterRestart = await caption.getAttribute('data-tour-step');
  await expect(caption).not.toHaveAttribute('data-tour-step', stepAfterRestart!);
  await expect(caption).toContainText(`${kioskTour} ·`);
});
