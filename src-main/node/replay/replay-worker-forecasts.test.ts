import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { until } from '../testing/until.ts';
import type { ReplayUpdate } from './replay-session.ts';
import { ReplayWorkerClient } from './replay-worker-client.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-worker-forecasts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// 200 signals with limits, so each has a forecast over the default 10 min window.
const machines = Array.from({ length: 20 }, (_, machine) => `  - { id: m${machine}, name: M${machine}, area: A, line: L, primitive: { shape: box }, signals: [${Array.from({ length: 10 }, (_, signal) => `{ id: s${signal}, topic: t/${machine}/${signal}, limits: { highWarn: 500, highAlarm: 600 } }`).join(', ')}] }`);
const plantText = `name: Dense line\nbrokers:\n  - { id: line, url: "mqtt://127.0.0.1:9" }\nmachines:\n${machines.join('\n')}\n`;
const plant = parsePlantOrThrow(plantText);
const start = Date.UTC(2026, 10, 25, 6, 0, 0);
const minute = 60_000;

/** 25 minutes of every signal ten times a second, rising slowly: a window's forecasts read about 1.2 million events. */
function recordDensely(): string {
  const file = join(folder, 'twinline-20261125-060000Z.twinline');
  const signalKeys = plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`));
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['line'] }, { createdAt: start });
  recorder.recordConnection(0, true, start);
  for (let step = 0; step < 25 * 600; step++) {
    const time = start + step * 100;
    for (let signal = 0; signal < signalKeys.length; signal++) recorder.recordSample(signal, Math.round((100 + step / 100 + ((step + signal) % 7) / 10) * 1000) / 1000, time);
    if (step % 10 === 9) recorder.commit();
  }
  recorder.close();
  return file;
}

const file = recordDensely();

describe("a replay worker reading a moment's forecasts", () => {
  // Read as soon as the cursor stops (no rest), so that a second jump can reach the worker during the read.
  it('answers a seek first, and gives up the forecasts of a moment the view has already left', { timeout: 120_000 }, async () => {
    const updates: ReplayUpdate[] = [];
    const client = new ReplayWorkerClient({ data: { plant, hasLive: false, forecastRestMs: 0 }, onUpdate: (update) => updates.push(update), onFailure: (reason) => expect.fail(reason), timeoutMs: 60_000 });
    const read = (time: number) => updates.filter((update) => update.forecast && update.forecast.pending !== true && update.forecast.time === time);
    try {
      const opened = start + 23 * minute;
      const entered = await client.request('enter', { time: opened }, file);
      // The answer says they are pending; the read ones come after it, as an update.
      expect(entered.forecast).toEqual({ time: opened, forecasts: [], pending: true });
      // With nothing else asked, the worker reads them after its answer and sends them on their own.
      await until(() => read(opened).length > 0, 'the forecasts at the opened moment', () => updates.length, 60_000);
      expect(read(opened)[0]!.forecast!.forecasts.length).toBeGreaterThan(0);

      // Two jumps sent together, as a drag across the timeline does: the second reaches the worker while it reads the first's forecasts.
      const first = start + 11 * minute;
      const second = start + 24 * minute;
      const [firstAnswer, secondAnswer] = await Promise.all([client.request('seek', { time: first }, file), client.request('seek', { time: second }, file)]);
      expect(firstAnswer.forecast).toEqual({ time: first, forecasts: [], pending: true });
      // The view was told they are pending already; the second jump leaves them so.
      expect(secondAnswer.forecast ?? null).toBeNull();
      expect(secondAnswer.status.time).toBe(second);
      await until(() => read(second).length > 0, 'the forecasts at the second moment', () => updates.length, 60_000);
      expect(read(second)[0]!.forecast!.forecasts.length).toBeGreaterThan(0);
      // The first moment's were given up, never sent: the view had left it.
      expect(read(first)).toEqual([]);

      // A request that does not move the cursor waits for the read instead of giving it up.
      const third = start + 12 * minute;
      const order: string[] = [];
      const seen = updates.length;
      await Promise.all([
        client.request('seek', { time: third }, file).then(() => order.push('seek answered')),
        client.request('status', {}, file).then(() => order.push(`status answered, forecasts read: ${read(third).length}`)),
      ]);
      expect(order).toEqual(['seek answered', 'status answered, forecasts read: 1']);
      expect(updates.slice(seen).filter((update) => update.forecast?.pending !== true && update.forecast)).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("reads them only once the view's cursor has rested, not for every moment a drag passes", { timeout: 120_000 }, async () => {
    const updates: ReplayUpdate[] = [];
    // A longer rest than the default, so that a loaded machine stalling between two moments of the drag does not end it.
    const client = new ReplayWorkerClient({ data: { plant, hasLive: false, forecastRestMs: 2000 }, onUpdate: (update) => updates.push(update), onFailure: (reason) => expect.fail(reason), timeoutMs: 60_000 });
    const read = () => updates.filter((update) => update.forecast && update.forecast.pending !== true).map((update) => update.forecast!.time);
    try {
      // A slow drag: a jump to a new moment every half second, each answered before the next is asked
      // (a read takes less, so without the rest each moment's forecasts would be read and sent).
      const moments = Array.from({ length: 8 }, (_, index) => start + (12 + (index % 2) * 11) * minute + index * 1000);
      for (const moment of moments) {
        const answer = await client.request(moment === moments[0] ? 'enter' : 'seek', { time: moment }, file);
        expect(answer.status.time).toBe(moment);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const last = moments.at(-1)!;
      await until(() => read().length > 0, 'the forecasts once the cursor rested', () => updates.length, 60_000);
      // Only the moment the cursor rested on had its forecasts read.
      expect(read()).toEqual([last]);
      expect(updates.at(-1)!.forecast!.forecasts.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});
