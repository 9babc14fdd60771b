import { describe, expect, it } from 'vitest';
import { encodeFrameEvent, type FrameBatch } from '../../common/contract.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { encodeFrameEventBytes, FrameEventBytes } from './frame-event-bytes.ts';

/** A frame of `signals` changed signals with values of every kind JSON writes differently. */
function frameOf(signals: number, seed: number): FrameBatch {
  const random = seededRandom(seed);
  const special = [Number.NaN, -0, Number.POSITIVE_INFINITY, 1e21, 5e-324, -123.456, 0.1 + 0.2, 0.001, -0.05, 2_147_483.647, -2_147_483.648, 2 ** 31, -(2 ** 31) + 1, 1e-7, 100.1, 9.999];
  // Random doubles, and integers and values of up to three decimals (what telemetry mostly is), each at magnitudes from 1 to 10^7.
  const kinds = [
    () => (random() - 0.5) * 10 ** Math.floor(random() * 8),
    () => Math.round((random() - 0.5) * 10 ** Math.floor(random() * 8)),
    () => Math.round((random() - 0.5) * 10 ** Math.floor(random() * 11)) / 1000,
  ];
  const value = () => (random() < 0.1 ? special[Math.floor(random() * special.length)]! : kinds[Math.floor(random() * kinds.length)]!());
  const indices = Array.from({ length: signals }, (_, index) => index * 3);
  return {
    time: 1_780_000_000_123,
    full: signals % 2 === 0,
    signalIndex: indices,
    signalValue: indices.map(value),
    signalSampleAge: indices.map(() => Math.floor(random() * 1e6) - 1000),
    signalHealth: indices.map(() => Math.floor(random() * 4) - 1),
    machineIndex: [0, 5],
    machineHealth: [2, 0],
  };
}

const asText = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeFrameEventBytes', () => {
  it('writes exactly the text encodeFrameEvent does, in arrays of every size around a piece', () => {
    for (const signals of [0, 1, 4095, 4096, 4097, 8192, 10_000, 12_289]) {
      const frame = frameOf(signals, signals + 1);
      const bytes = encodeFrameEventBytes(frame);
      expect(asText(bytes)).toBe(encodeFrameEvent(frame).encoded);
      expect(bytes.length).toBe(new TextEncoder().encode(encodeFrameEvent(frame).encoded).length);
    }
  });

  it('reads back as the frame, with NaN written as null as JSON does', () => {
    const frame = frameOf(9000, 7);
    const message = JSON.parse(new FrameEventBytes(encodeFrameEventBytes(frame)).encoded) as { type: string; stream: string; data: FrameBatch };
    expect(message.type).toBe('event');
    expect(message.stream).toBe('frame');
    expect(message.data).toEqual(JSON.parse(JSON.stringify(frame)));
    expect(message.data.signalIndex).toHaveLength(9000);
  });

  it('leaves out what JSON leaves out', () => {
    const frame = { ...frameOf(5000, 3), extra: undefined } as unknown as FrameBatch;
    expect(asText(encodeFrameEventBytes(frame))).toBe(encodeFrameEvent(frame).encoded);
  });
});
