import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { PNG } from 'pngjs';
import { startTwinline, waitForFramedScene, type TwinlineUnderTest } from './twinline-server.ts';
import { temporaryFolder } from './temporary-folder.ts';

// The shift summary and Save Picture against a real host, broker and recording: Press 1 over its alarm
// limit shows in the summary as the machine longest in alarm, its line's shares are drawn and exported
// as CSV, and the picture saved is a PNG of the canvas's full drawing size with the plant in it. A
// 3-second tour rendered as video is read back with ffprobe: its duration and frame count are the
// requested frame rate's, and its frames change as the camera flies (short, as each frame is a full
// render on the software renderer: one held second and one flight prove what ten seconds did). A range
// of the recording rendered as video has one frame per 1/fps of its recorded length, its burned-in time
// changes from the first frame to the last, and the view is live again afterwards.
const folder = temporaryFolder('twinline-e2e-summary-');
const toursFile = join(folder, 'summary.tours.yaml');
writeFileSync(
  toursFile,
  `viewpoints:
  - { name: Line, position: [0, 30, 50], target: [0, 0, 0] }
  - { name: Press 1, position: [-12, 8, 14], target: [-12, 0, 0] }
tours:
  - name: Walk
    steps:
      - { viewpoint: Line, caption: The whole line, seconds: 1 }
      - { viewpoint: Press 1, caption: Press 1 runs hot, seconds: 2 }
`,
);
let twinline: TwinlineUnderTest;
let publisher: ReturnType<typeof setInterval> | undefined;
const problems: string[] = [];

test.beforeAll(async () => {
  twinline = await startTwinline('e2e/fixtures/test-plant.yaml', ['--tours', toursFile]);
  publisher = setInterval(() => {
    twinline.publisher.publish('e2e/press-1/temperature', JSON.stringify({ value: 95 }));
    twinline.publisher.publish('e2e/press-2/temperature', JSON.stringify({ value: 60 }));
  }, 200);
});

test.afterAll(async () => {
  clearInterval(publisher);
  await twinline?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

test('the shift summary lists the machine in alarm and exports CSV; Save Picture downloads the full-size view', async ({ page }) => {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);

  await page.getByRole('button', { name: 'Summary' }).click();
  const panel = page.getByRole('region', { name: 'Shift summary' });
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(/(Early|Late|Night) shift/);
  // The recording commits once a second: read again until Press 1's time in alarm is in it.
  const press1 = panel.locator('[data-summary-machine="0"]');
  await expect(async () => {
    await panel.getByRole('button', { name: '↻' }).click();
    await expect(press1).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(press1).toContainText('Press 1');
  await expect(panel.locator('[data-summary-machine="1"]')).toHaveCount(0);
  await expect(panel.locator('[data-summary-line="Press shop/Line A"] [data-state="alarm"]')).toBeVisible();
  await expect(panel.locator('[data-summary-line="Utilities/Water"]')).toBeVisible();

  const csvDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv).toMatch(/^area,line,machines,ok %,warn %,alarm %/m);
  // Press 1 was in alarm and Press 2 ok from their first samples: the alarm share of their line is near half.
  const alarmShare = Number(/^Press shop,Line A,2,[\d.]+,[\d.]+,([\d.]+),/m.exec(csv)?.[1]);
  expect(alarmShare).toBeGreaterThan(30);
  expect(csv).toMatch(/^Press 1,[\d.]+,\d+\r$/m);

  await panel.getByRole('button', { name: 'Close the shift summary' }).click();
  const pictureDownload = page.waitForEvent('download');
  await page.keyboard.press('p');
  const picture = await pictureDownload;
  expect(picture.suggestedFilename()).toMatch(/^E2E-test-line-.*\.png$/);
  const image = PNG.sync.read(readFileSync((await picture.path())!));
  const canvasSize = await page.locator('.viewport canvas').evaluate((canvas: HTMLCanvasElement) => ({ width: canvas.width, height: canvas.height }));
  expect({ width: image.width, height: image.height }).toEqual(canvasSize);
  const colours = new Set<string>();
  for (let offset = 0; offset < image.data.length; offset += 4 * 97) colours.add(`${image.data[offset]! >> 3},${image.data[offset + 1]! >> 3},${image.data[offset + 2]! >> 3}`);
  expect(colours.size, 'distinct colours in the picture').toBeGreaterThan(20);
  expect(problems).toEqual([]);
});

const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;

/** The video's frames, cropped to the middle 60 % of their height (clear of the burned-in time and caption), as 64×36 grey pixels. */
function greyFrames(file: string): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'crop=iw:ih*0.6:0:ih*0.2,scale=64:36,format=gray', '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const size = 64 * 36;
  return Array.from({ length: raw.length / size }, (_, index) => new Uint8Array(raw.buffer, raw.byteOffset + index * size, size));
}

/** Mean absolute difference of two grey frames (0–255). */
function difference(first: Uint8Array, second: Uint8Array): number {
  let sum = 0;
  for (let index = 0; index < first.length; index++) sum += Math.abs(first[index]! - second[index]!);
  return sum / first.length;
}

test('a 3-second tour renders frame by frame to a WebM of the requested rate whose frames follow the camera', async ({ page }) => {
  test.skip(!hasFfprobe, 'ffprobe is not installed (Debian package ffmpeg, which .ci/run installs): the rendered video cannot be read back');
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A small view keeps the software renderer's 30 frames quick; the video takes the canvas's size.
  await page.setViewportSize({ width: 640, height: 400 });
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);
  await page.getByRole('button', { name: 'Save Video' }).click();
  const panel = page.getByRole('region', { name: 'Save Video' });
  await panel.getByLabel('Video of').selectOption('Walk');
  await panel.getByLabel('Frames per second').selectOption('10');
  const download = page.waitForEvent('download', { timeout: 90_000 });
  await panel.getByRole('button', { name: 'Render' }).click();
  const video = await download;
  expect(video.suggestedFilename()).toMatch(/^Walk-.*\.webm$/);
  const file = (await video.path())!;
  const probe = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames:format=duration', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: Array<{ codec_name: string; nb_read_frames: string }>; format: { duration: string } };
  expect(probe.streams[0]!.codec_name).toBe('vp8');
  expect(Number(probe.streams[0]!.nb_read_frames)).toBe(30);
  expect(Math.abs(Number(probe.format.duration) - 3), 'within one frame').toBeLessThanOrEqual(0.101);
  const frames = greyFrames(file);
  expect(frames).toHaveLength(30);
  // Held on the first viewpoint for 1 s, the picture stays nearly the same; flown to Press 1 (from 1 s to
  // about 2.35 s, the flight's length for that distance), it changes.
  const held = difference(frames[0]!, frames[8]!);
  const flown = difference(frames[0]!, frames[29]!);
  expect(flown, `frames 0 and 29 differ by ${flown}, frames 0 and 8 by ${held}`).toBeGreaterThan(Math.max(8, 4 * held));
  expect(difference(frames[16]!, frames[17]!), 'consecutive frames during the flight').toBeGreaterThan(0.5);
  expect(problems).toEqual([]);
});

/** One strip of each frame's top edge (`crop` in ffmpeg's terms), where the time and plant name are burned in, as 256×24 grey pixels. */
function greyTopStrips(file: string, crop: string): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `crop=${crop},scale=256:24,format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const size = 256 * 24;
  return Array.from({ length: raw.length / size }, (_, index) => new Uint8Array(raw.buffer, raw.byteOffset + index * size, size));
}

test('a selected range of the recording renders frame by frame to a WebM with its time burned in, and the view is live again after', async ({ page }) => {
  test.skip(!hasFfprobe, 'ffprobe is not installed (Debian package ffmpeg, which .ci/run installs): the rendered video cannot be read back');
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.setViewportSize({ width: 640, height: 400 });
  await page.goto(twinline.url);
  await waitForFramedScene(page, ['press-1', 'press-2', 'pump-1']);
  const live = page.getByRole('group', { name: 'Live or replay' }).getByRole('button', { name: 'Live' });
  await expect(live).toHaveAttribute('aria-pressed', 'true');
  // A shift-drag over the first quarter of the strip chooses a range of the recording.
  const slider = page.getByRole('slider', { name: 'Time' });
  const box = (await slider.boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const selection = page.locator('.selected-range');
  const start = Number(await selection.getAttribute('data-selection-start'));
  const end = Number(await selection.getAttribute('data-selection-end'));
  // The speed that keeps the video to a few dozen frames at 10 fps, whatever the recording's length so far.
  const speed = [1, 2, 5, 10, 30, 60].find((candidate) => Math.round(((end - start) / 1000 / candidate) * 10) <= 40)!;
  const frames = Math.round(((end - start) / 1000 / speed) * 10);
  expect(frames, `a range of ${end - start} ms at ${speed}×`).toBeGreaterThanOrEqual(5);

  await page.getByRole('button', { name: 'Save Video' }).click();
  const panel = page.getByRole('region', { name: 'Save Video' });
  await panel.getByLabel('Video of').selectOption({ label: 'Selected range' });
  await panel.getByLabel('Frames per second').selectOption('10');
  await panel.getByLabel('Speed').selectOption(String(speed));
  await expect(panel.locator('.save-video-plan')).toHaveAttribute('data-frames', String(frames));
  const download = page.waitForEvent('download', { timeout: 90_000 });
  await panel.getByRole('button', { name: 'Render' }).click();
  const video = await download;
  expect(video.suggestedFilename()).toMatch(/^E2E-test-line-.*\.webm$/);
  const file = (await video.path())!;
  const probe = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames:format=duration', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: Array<{ codec_name: string; nb_read_frames: string }>; format: { duration: string } };
  expect(probe.streams[0]!.codec_name).toBe('vp8');
  expect(Number(probe.streams[0]!.nb_read_frames)).toBe(frames);
  expect(Math.abs(Number(probe.format.duration) - frames / 10), 'within one frame').toBeLessThanOrEqual(0.101);
  // The time's label (top left, in the top 24 pixels whatever the view's size) changes; the plant name's (top right, the same kind of label) is the encoder's noise.
  const times = greyTopStrips(file, 'iw*0.55:24:0:0');
  const names = greyTopStrips(file, 'iw*0.3:24:iw*0.7:0');
  expect(times).toHaveLength(frames);
  // Pixels that went from text to box or back (not the encoder's small shifts).
  const flipped = (first: Uint8Array, second: Uint8Array) => first.filter((value, index) => Math.abs(value - second[index]!) > 64).length;
  const timeChange = flipped(times[0]!, times[frames - 1]!);
  const noise = flipped(names[0]!, names[frames - 1]!);
  expect(timeChange, `the burned-in time changed by ${timeChange}, the plant name by ${noise}`).toBeGreaterThan(Math.max(20, 4 * noise));
  // Back where it was: live, its time moving on.
  await expect(live).toHaveAttribute('aria-pressed', 'true');
  const shown = Number(await slider.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(shown);
  expect(problems).toEqual([]);
});
