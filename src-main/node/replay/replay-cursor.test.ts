import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFrame, createFrameBuffer, type FrameBufferState } from '../../../src-renderer/telemetry/frame-buffer.ts';
import type { FrameBatch } from '../../common/contract.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantRules } from '../../common/plant-health.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { ReplayCursor } from './replay-cursor.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-cursor-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const signalsPerMachine = 4;
const plantText = `name: Cursor frames
machines:
${['press', 'oven']
  .map((id) => `  - { id: ${id}, name: ${id}, area: A, line: L, primitive: { shape: box }, signals: [${Array.from({ length: signalsPerMachine }, (_, index) => `{ id: s${index}, topic: t/${id}/${index}, staleAfter: 5, limits: { highWarn: 80 } }`).join(', ')}] }`)
  .join('\n')}
`;
const plant = parsePlantOrThrow(plantText);
const signalKeys = plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`));
const start = Date.UTC(2026, 11, 4, 8, 0, 0);
const file = join(folder, 'twinline-20261204-080000Z.twinline');

// Every signal sampled every second for two minutes, each at its own millisecond; signal 0 alone keeps
// being sampled for a further 10 s, so that a short move changes it and nothing else.
const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['default'] });
recorder.recordConnection(0, true, start);
for (let second = 0; second < 130; second++) {
  for (let signal = 0; signal < signalKeys.length; signal++) {
    if (second >= 120 && signal > 0) continue;
    recorder.recordSample(signal, 50 + ((second * 7 + signal * 3) % 40), start + second * 1000 + signal * 37);
  }
  if (second % 10 === 0) recorder.commit();
}
recorder.close();

/** What a view shows after the frames, as the renderer applies them. */
function shown(frames: FrameBatch[]): Pick<FrameBufferState, 'values' | 'sampleTimes' | 'signalHealth' | 'machineHealth'> {
  const buffer = createFrameBuffer(signalKeys.length, plant.machines.length);
  for (const frame of frames) applyFrame(buffer, frame, 0);
  const { values, sampleTimes, signalHealth, machineHealth } = buffer.getState();
  return { values, sampleTimes, signalHealth, machineHealth };
}

describe('ReplayCursor frames', () => {
  const reader = new RecordingReader(file);
  afterAll(() => reader.close());
  const rules = plantRules(plant);

  it('cuts a move that changes most signals as a full frame, and a small one as a delta, each showing what a fresh cursor shows', () => {
    const cursor = new ReplayCursor(reader, rules, start + 10_500);
    const frames = [cursor.frame(true)];
    cursor.moveTo(start + 95_500);
    const far = cursor.frame(false);
    frames.push(far);
    expect(far.full).toBe(true);
    expect(far.signalIndex).toEqual([]);
    expect(far.signalValue).toHaveLength(signalKeys.length);
    expect(far.machineHealth).toHaveLength(plant.machines.length);
    expect(shown(frames)).toEqual(shown([new ReplayCursor(reader, rules, start + 95_500).frame(true)]));

    cursor.moveTo(start + 121_000);
    frames.push(cursor.frame(false));
    // Only signal 0 is sampled after 120 s, and the others are not stale yet (5 s).
    cursor.moveTo(start + 123_000);
    const near = cursor.frame(false);
    frames.push(near);
    expect(near.full).toBe(false);
    expect(near.signalIndex).toEqual([0]);
    expect(shown(frames)).toEqual(shown([new ReplayCursor(reader, rules, start + 123_000).frame(true)]));
  });

  it('jumps back and forth, overwriting the state it left, each frame showing what a fresh cursor shows', () => {
    const cursor = new ReplayCursor(reader, rules, start + 5_000);
    const frames = [cursor.frame(true)];
    // Far and near, before the recording and back, into chunks read before: each jump reuses the state two jumps back.
    for (const offset of [70_300, 2_100, 125_000, 64_000, -60_000, 33_333, 118_000, 61_000, 4_000]) {
      cursor.moveTo(start + offset);
      frames.push(cursor.frame(false));
      expect(shown(frames), `after the jump to ${offset} ms`).toEqual(shown([new ReplayCursor(reader, rules, start + offset).frame(true)]));
    }
  });

  it('stays where it was when a jump fails part way, though that jump overwrote the state it left before', () => {
    let failing = false;
    // The real reader, but a failing jump scribbles over the state it was given to reuse, as a decode that throws half way would.
    const flaky = Object.create(reader) as RecordingReader;
    flaky.stateAt = (time, reuse) => {
      if (!failing) return reader.stateAt(time, reuse);
      for (const state of reuse?.signals ?? []) if (state) state.value = -1;
      throw new Error('the keyframe is damaged');
    };
    const cursor = new ReplayCursor(flaky, rules, start + 5_000);
    cursor.moveTo(start + 70_300);
    cursor.moveTo(start + 20_000);
    failing = true;
    expect(() => cursor.moveTo(start + 110_000)).toThrow(/damaged/);
    expect(shown([cursor.frame(true)])).toEqual(shown([new ReplayCursor(reader, rules, start + 20_000).frame(true)]));
  });

  it('cuts a playing cursor at whole milliseconds, so that every age is a whole number', () => {
    const cursor = new ReplayCursor(reader, rules, start + 30_000);
    cursor.frame(true);
    for (const time of [start + 30_033.333, start + 30_066.667, start + 31_000.5]) {
      cursor.moveTo(time);
      const frame = cursor.frame(false);
      expect(frame.time).toBe(Math.floor(time));
      expect(frame.signalSampleAge.every(Number.isInteger)).toBe(true);
    }
  });
});
