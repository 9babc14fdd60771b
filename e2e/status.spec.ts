import { readFileSync } from 'node:fs';
import { test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect } from './expect.ts';
import { parseZonedTime } from '../src-main/common/parse-zoned-time.ts';
import { firstSceneTimeoutMs, startTwinline, type TwinlineUnderTest } from './twinline-server.ts';

// Status that agrees and one clock: against a real `twinline serve` (recording) fed by a real broker,
// in Chromium at the two sizes the issue names, in a Chicago browser so that local time is not UTC.
// Starting a host is slow on a loaded machine: the tests that leave it running share one; the test
// that stops its host starts its own.
const timezoneId = 'America/Chicago';
const viewports = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
];

/** A host on the test plant with every machine's signals published four times a second; `stop` ends both (once, however often it is called). */
interface PublishedHost {
  twinline: TwinlineUnderTest;
  stop(): Promise<void>;
}

async function startPublishedHost(): Promise<PublishedHost> {
  const host = await startTwinline('e2e/fixtures/test-plant.yaml');
  const publish = () => {
    host.publisher.publish('e2e/press-1/temperature', '{"value": 60}');
    host.publisher.publish('e2e/press-2/temperature', '{"value": 50}');
    host.publisher.publish('e2e/pump-1/state', '{"pressure": {"discharge": 6}}');
  };
  publish();
  const publishing = setInterval(publish, 250);
  let stopping: Promise<void> | undefined;
  return {
    twinline: host,
    stop: () => {
      clearInterval(publishing);
      stopping ??= host.stop();
      return stopping;
    },
  };
}

/** The host the tests that leave it running share. */
let shared: PublishedHost | undefined;
let twinline: TwinlineUnderTest | undefined;

test.beforeAll(async () => {
  shared = await startPublishedHost();
  twinline = shared.twinline;
});

test.afterEach(async ({}, testInfo) => {
  if (twinline) await testInfo.attach('twinline serve output', { body: twinline.output(), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await shared?.stop();
  shared = undefined;
  twinline = undefined;
});

/** Chicago's offset from UTC now, as ISO 8601 writes it ("-06:00" in winter, "-05:00" in summer). */
function chicagoOffset(): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezoneId, timeZoneName: 'longOffset' }).formatToParts(new Date()).find((part) => part.type === 'timeZoneName')!.value;
  return name.replace('GMT', '');
}

/** Browser contexts the tests opened themselves; each is closed after its test, passed or failed. */
const openedContexts = new Set<BrowserContext>();

// A page left open keeps drawing its scene in software (and trying to reach a stopped host) through
// every later spec of the run, taking their CPU: two such pages made later specs' pages load 2–3× slower.
test.afterEach(async () => {
  for (const context of openedContexts) await context.close();
  openedContexts.clear();
});

/** A page of the view at `viewport` in a Chicago browser, with page errors collected; it waits for the live view. */
async function openView(browser: Browser, viewport: { width: number; height: number }, errors: string[], url = twinline!.url): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId, acceptDownloads: true });
  openedContexts.add(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${viewport.width}×${viewport.height}: ${error.message}`));
  await page.goto(url);
  // The first view of a page links, loads the plant and compiles its shaders on SwiftShader: on a loaded machine that can take a while.
  await expect(timeline(page)).toHaveAttribute('data-player-mode', 'live', { timeout: firstSceneTimeoutMs });
  return page;
}

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const brokerChip = (page: Page) => page.getByRole('status', { name: 'Brokers' }).getByRole('button');
const recordingChip = (page: Page) => timeline(page).locator('[data-recording]');

test('replayed broker chips say recorded; the clock switches between local with its zone and UTC; CSV names and times follow it', async ({ browser }) => {
  const errors: string[] = [];
  const offset = chicagoOffset();
  for (const viewport of viewports) {
    await test.step(`${viewport.width}×${viewport.height}`, async () => {
      const page = await openView(browser, viewport, errors);
      const clock = timeline(page).getByLabel('Shown time');
      const clockChoice = page.locator('button.clock-choice');

      await test.step('the clock shows local time with its offset, naming the instant the player is at', async () => {
        await expect(clockChoice).toHaveAttribute('data-clock', 'local');
        await expect(clock).toHaveText(new RegExp(`^Live \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d ${offset}$`));
        await expectClockAtPlayerTime(page);
      });

      await test.step('in replay the broker chips say the state is recorded', async () => {
        await page.getByRole('button', { name: 'Replay', exact: true }).click();
        await expect(timeline(page)).toHaveAttribute('data-player-mode', 'replay');
        await expect(brokerChip(page)).toHaveText(/^Broker default: (connected|disconnected) \(recorded\)$/);
        await expect(brokerChip(page)).toHaveAttribute('data-broker-recorded', '');
        await expect(clock).toHaveText(new RegExp(`^Replay .* ${offset}$`));
        await expectClockAtPlayerTime(page);
      });

      await test.step('a CSV export is named and timed on the local clock', async () => {
        await page.locator('[data-machine="press-1"]').click();
        const csv = await exportCsv(page);
        expect(csv.name).toMatch(new RegExp(`^press-1-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d${offset.replace(':', '')}\\.csv$`));
        expect(csv.times.length).toBeGreaterThan(0);
        for (const time of csv.times) expect(time).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}${offset}$`));
      });

      await test.step('UTC: the clock, the file name and the times switch, and the choice is kept', async () => {
        await clockChoice.click();
        await expect(clockChoice).toHaveAttribute('data-clock', 'utc');
        await expect(clock).toHaveText(/^Replay \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d UTC$/);
        await expectClockAtPlayerTime(page);
        const csv = await exportCsv(page);
        expect(csv.name).toMatch(/^press-1-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
        for (const time of csv.times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        // A new page of the same browser remembers the choice. The first page goes first: under load, two
        // pages drawing 1920×1080 in software held the new page's first scene past 30 s.
        const context = page.context();
        await page.close();
        const next = await context.newPage();
        await next.goto(twinline!.url);
        // Its first link and scene (scripts, shaders on SwiftShader) may take as long as the first page's did.
        await expect(next.locator('button.clock-choice')).toHaveAttribute('data-clock', 'utc', { timeout: firstSceneTimeoutMs });
        await expect(timeline(next).getByLabel('Shown time')).toHaveText(/^Live .* UTC$/);
      });
      await page.context().close();
    });
  }
  expect(errors).toEqual([]);
});

test('the bad-messages chip opens the problems panel, by mouse and by keyboard; with none it says so', async ({ browser }) => {
  const errors: string[] = [];
  for (const viewport of viewports) {
    await test.step(`${viewport.width}×${viewport.height}`, async () => {
      const page = await openView(browser, viewport, errors);
      const chip = page.locator('button.problems-chip');
      const panel = page.getByRole('region', { name: 'Problems' });
      if (viewport === viewports[0]) {
        // The first page sees the plant before any bad message: the panel is reachable and says there are none.
        await expect(chip).toHaveText('No problems');
        await chip.focus();
        await page.keyboard.press('Enter');
        await expect(panel.getByText('No problems')).toBeVisible();
        await expect(panel.getByRole('button', { name: /Problems \(0\)/ })).toBeFocused();
        await page.keyboard.press('Enter');
        await expect(panel).toHaveCount(0);
      }
      twinline!.publisher.publish('e2e/press-1/temperature', '{"value": ');
      twinline!.publisher.publish('e2e/press-1/temperature', '"hot"');
      await expect(chip).toHaveText(/^\d+ bad messages?$/);
      await chip.click();
      await expect(panel.getByText(/on e2e\/press-1\/temperature/).first()).toBeVisible();
      // Keyboard: the panel's toggle takes the focus and closes it; the chip opens it again.
      await expect(panel.getByRole('button', { name: /Problems \(\d+\)/ })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(panel.getByText(/on e2e\/press-1\/temperature/)).toHaveCount(0);
      await chip.focus();
      await page.keyboard.press('Enter');
      await expect(panel.getByText(/on e2e\/press-1\/temperature/).first()).toBeVisible();
      await page.context().close();
    });
  }
  expect(errors).toEqual([]);
});

test('while the host is unreachable the broker chips, REC and the broker panel say unknown, never their last green', async ({ browser }, testInfo) => {
  const errors: string[] = [];
  // A host of its own, which this test stops.
  const own = await startPublishedHost();
  try {
    await unreachableHostSaysUnknown(browser, own, errors);
  } finally {
    await testInfo.attach('own twinline serve output', { body: own.twinline.output(), contentType: 'text/plain' });
    await own.stop();
  }
  expect(errors).toEqual([]);
});

/** Opens the view at both sizes, stops the host and checks that every status says unknown. */
async function unreachableHostSaysUnknown(browser: Browser, own: PublishedHost, errors: string[]): Promise<void> {
  const pages = await Promise.all(viewports.map((viewport) => openView(browser, viewport, errors, own.twinline.url)));
  for (const page of pages) {
    await expect(brokerChip(page)).toHaveText(/Broker default: connected$/);
    await expect(brokerChip(page)).toHaveAttribute('data-broker-state', 'connected');
    await expect(recordingChip(page)).toHaveAttribute('data-recording', 'on');
    await expect(recordingChip(page)).toContainText('● REC');
  }

  // The host process ends (and its broker with it): nothing it said before still holds.
  await own.stop();
  for (const page of pages) {
    await expect(page.getByRole('status').filter({ hasText: 'Host connection lost' })).toBeVisible();
    await expect(brokerChip(page)).toHaveText('Broker default: unknown — host unreachable');
    await expect(brokerChip(page)).toHaveAttribute('data-broker-state', 'unknown');
    await expect(brokerChip(page)).toHaveClass(/indicator-unknown/);
    await expect(recordingChip(page)).toHaveAttribute('data-recording', 'unknown');
    await expect(recordingChip(page)).toHaveText('○ REC unknown — host unreachable');
    // The broker panel agrees: unknown since the host went, never the last connected.
    await brokerChip(page).click();
    const panel = page.getByRole('dialog', { name: 'Brokers' });
    await expect(panel.locator('[data-broker="default"]')).toHaveAttribute('data-broker-state', 'unknown');
    await expect(panel.locator('.broker-state')).toHaveText('? unknown — host unreachable');
    await expect(panel.locator('.broker-unreachable')).toHaveText(/^State unknown: the host has been unreachable since \d\d:\d\d:\d\d -0[56]:00;/);
    await expect(panel).not.toContainText(/\bconnected\b/);
    // Grey, as unknown is everywhere: the chip's colour is the muted text colour, not the green of connected.
    const colour = await brokerChip(page).evaluate((chip) => getComputedStyle(chip).color);
    const muted = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--muted').trim());
    expect(colour).toBe(await page.evaluate((css) => {
      const probe = document.createElement('span');
      probe.style.color = css;
      document.body.append(probe);
      const resolved = getComputedStyle(probe).color;
      probe.remove();
      return resolved;
    }, muted));
  }
}

/** The shown clock, read back as `twinline export --from` reads a time, names the instant the player is at (within the second the text lags). */
async function expectClockAtPlayerTime(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const [text, time] = await Promise.all([timeline(page).getByLabel('Shown time').textContent(), timeline(page).getAttribute('data-player-time')]);
      const shown = parseZonedTime((text ?? '').replace(/^(Live|Replay) /, ''));
      return Math.abs(shown - Number(time)) < 1500;
    })
    .toBe(true);
}

/** Clicks Export CSV in the inspector; the downloaded file's name and the times of its rows. */
async function exportCsv(page: Page): Promise<{ name: string; times: string[] }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  const rows = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(rows[0]).toBe('time,signal,value,unit');
  return { name: download.suggestedFilename(), times: rows.slice(1).map((row) => row.slice(0, row.indexOf(','))) };
}
