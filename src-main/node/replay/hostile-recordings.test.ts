import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameBatch, TwinlineSource } from '../../common/contract.ts';
import { openRecording } from '../open-recording.ts';
import { mutatedRecordings, type MutatedRecording } from '../recording/mutate-recording.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';

// Every file is opened as `twinline open` does (its plant and models read in a worker), replayed by a
// view (seek, timeline, charts, snapshot) and exported as CSV, all through the host, while a live view
// of the same host is watched: no file may stop or stall it. The reader-level corpus of 1,000
// (recording-corpus.test.ts) covers more mutations per second; this one covers the host's path, at
// about half a second a file (two worker threads each): 150 by default, TWINLINE_HOSTILE_FILES=1000 for all.
const files = Number(process.env.TWINLINE_HOSTILE_FILES ?? 150);
// Two files are opened at once, as two people opening recordings do: a file's time goes mostly to
// starting its worker threads, which a second core does alongside.
const filesAtOnce = 2;
const maxMillisecondsPerFile = 5000;
/** A live frame is cut every 33 ms; a gap this long means the ingest loop stalled. */
const maxLiveGapMs = 1500;

let host: RunningHost;
let folder: string;
let base: Uint8Array;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-hostile-'));
  host = await startHost({ recording: { directory: join(folder, 'live'), commitIntervalMs: 200 }, stageOutages: true });
  // A real recording of the demo: a few seconds of the live host's own, copied whole through SQLite.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const copy = join(folder, 'base.twinline');
  const live = new DatabaseSync(host.recorder!.currentFile()!, { readOnly: true });
  live.exec(`VACUUM INTO '${copy.replaceAll("'", "''")}'`);
  live.close();
  base = readFileSync(copy);
});

afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs `work` with a deadline; a refusal is an answer, a hang is not. */
async function within<T>(milliseconds: number, what: string, work: Promise<T>): Promise<T | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: ${what} took over ${milliseconds} ms`)), milliseconds)));
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('HANG:')) throw error;
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** Replays and exports one opened recording as a view would; returns how far it got. */
async function replayAndExport(source: TwinlineSource): Promise<'replayed' | 'refused'> {
  const step = <T>(what: string, work: () => T | Promise<T>) => within(maxMillisecondsPerFile, what, Promise.resolve().then(work));
  const player = await step('getPlayer', () => source.player!());
  if (player instanceof Error) return 'refused';
  const { start, end } = player.range;
  const snapshot = await step('getSnapshot', () => source.snapshot());
  for (const time of [start, (start + end) / 2, end]) await step(`seek to ${time}`, () => source.command!({ action: 'seek', time: Math.max(0, Math.round(time)) }));
  await step('getTimeline', () => source.timeline!({ from: start, to: Math.max(start, end), buckets: 100, machine: 0 }));
  await step('getTrends', () => source.trends!({ machine: 0, from: start, to: Math.max(start, end), points: 200 }));
  let exported = 0;
  await step('exportCsv', () => source.exportCsv!({ signals: source.describePlant().signalKeys.slice(0, 5), from: start, to: Math.max(start, end) }, (chunk) => void (exported += chunk.length)));
  return snapshot instanceof Error ? 'refused' : 'replayed';
}

describe('hostile recordings opened through the host', () => {
  it(`each of ${files} mutated recordings replays what is intact or is refused clearly, within ${maxMillisecondsPerFile / 1000} s and bounded memory, while live goes on`, { timeout: 900_000 }, async () => {
    const liveFrames: number[] = [];
    const liveView = host.createViewSource();
    const stopWatching = liveView.subscribe('frame', (frame: FrameBatch) => liveFrames.push(performance.now()));
    const mutants = join(folder, 'mutants');
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const tally = { opened: 0, refused: 0, replayed: 0 };
    const reasons = new Map<string, number>();
    /** Opens, replays and exports one mutant in a folder of its own (a view lists the folder's recordings), removed after. */
    const tryOne = async (mutant: MutatedRecording, index: number) => {
      const file = join(mutants, `${index}`, mutant.name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, mutant.bytes);
      try {
        const opened = await within(maxMillisecondsPerFile * 2, `opening ${mutant.name} (${mutant.description})`, openRecording(file, () => undefined));
        if (opened instanceof Error) {
          tally.refused++;
          const reason = opened.message.replace(/^Cannot open the recording \S+: /, '').replace(/\d+/g, 'N').slice(0, 60);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          // A refusal names the file and says what is wrong with it.
          expect(opened.message, mutant.description).toMatch(/\S/);
          return;
        }
        tally.opened++;
        const source = opened.createViewSource();
        try {
          if ((await replayAndExport(source)) === 'replayed') tally.replayed++;
        } finally {
          source.dispose?.();
          opened.close();
        }
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      } finally {
        rmSync(dirname(file), { recursive: true, force: true });
      }
    };
    const running = new Set<Promise<void>>();
    try {
      let index = 0;
      for (const mutant of mutatedRecordings(base, files, 7)) {
        const work: Promise<void> = tryOne(mutant, index++).finally(() => running.delete(work));
        running.add(work);
        if (running.size >= filesAtOnce) await Promise.race(running);
      }
      await Promise.all(running);
    } finally {
      // After a failure the other file still open finishes first: its own deadlines bound it.
      await Promise.allSettled(running);
      stopWatching();
      liveView.dispose?.();
    }
    // Live frames kept coming the whole time: the longest pause between two is a frame or a few, never a stall.
    const gaps = liveFrames.slice(1).map((time, at) => time - liveFrames[at]!);
    const longestGap = Math.max(...gaps);
    console.log(`${files} hostile recordings: ${tally.refused} refused, ${tally.opened} opened (${tally.replayed} replayed); longest live gap ${longestGap.toFixed(0)} ms; host RSS ${(rssBefore / 2 ** 20).toFixed(0)} → peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([reason, count]) => `  ${count} × ${reason}`).join('\n'));
    expect(tally.refused + tally.opened).toBe(files);
    expect(tally.replayed).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
    expect(longestGap).toBeLessThan(maxLiveGapMs);
    expect(peakRss - rssBefore).toBeLessThan(512 * 2 ** 20);
  });
});
