import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { McapWriter, type IWritable } from '@mcap/core';
import type { RecordedHistory } from '../recording/recorded-history.ts';

/** The JSON schema of every signal's messages: its value and the quality the source gave it. */
export const mcapSampleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'twinline.Sample',
  type: 'object',
  properties: {
    value: { type: ['number', 'null'], description: 'The measured value; null when the source marked it bad or was lost' },
    quality: { type: 'string', enum: ['good', 'bad', 'sourceLost'] },
  },
  required: ['value', 'quality'],
} as const;

/** One sample as an MCAP message carries it. */
export interface McapSample {
  value: number | null;
  quality: 'good' | 'bad' | 'sourceLost';
}

/** The message of a recorded value: NaN is bad quality, +Infinity a lost source (see the recording format). */
export function mcapSample(value: number): McapSample {
  if (Number.isFinite(value)) return { value, quality: 'good' };
  return { value: null, quality: value === Number.POSITIVE_INFINITY ? 'sourceLost' : 'bad' };
}

/** Decompressors a reader of Twinline's MCAP files needs (chunks are zstd-compressed). */
export const mcapDecompressHandlers = {
  zstd: (data: Uint8Array, size: bigint) => new Uint8Array(zstdDecompressSync(data, { maxOutputLength: Number(size) })),
};

/** Writes to a file descriptor as the MCAP writer asks, keeping its position. */
class FileWritable implements IWritable {
  private written = 0n;
  private readonly descriptor: number;
  constructor(descriptor: number) {
    this.descriptor = descriptor;
  }
  async write(buffer: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < buffer.byteLength) offset += writeSync(this.descriptor, buffer, offset);
    this.written += BigInt(buffer.byteLength);
  }
  position(): bigint {
    return this.written;
  }
}

/**
 * Writes the samples of `history` from `from` to `to` as an MCAP file at `out` (never over an existing
 * file): one channel per signal, topic `machine/signal`, JSON messages of `mcapSampleSchema` logged at
 * the sample's time, zstd-compressed chunks. Connection events are not samples and are left out.
 * Returns the number of messages; a failed export leaves no file behind.
 */
export async function exportMcap(history: RecordedHistory, from: number, to: number, out: string): Promise<number> {
  let descriptor: number;
  try {
    descriptor = openSync(out, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${out} exists: choose another name or remove it`);
    throw error;
  }
  let messages = 0;
  try {
    const writer = new McapWriter({
      writable: new FileWritable(descriptor),
      compressChunk: (data) => ({ compression: 'zstd', compressedData: new Uint8Array(zstdCompressSync(data)) }),
    });
    await writer.start({ profile: '', library: 'twinline' });
    const schemaId = await writer.registerSchema({ name: 'twinline.Sample', encoding: 'jsonschema', data: new TextEncoder().encode(JSON.stringify(mcapSampleSchema)) });
    const channels: number[] = [];
    for (const key of history.signalKeys) {
      channels.push(await writer.registerChannel({ topic: key, schemaId, messageEncoding: 'json', metadata: new Map([['plant', history.plant.name]]) }));
    }
    const encoder = new TextEncoder();
    const sequences = new Array<number>(channels.length).fill(0);
    for (const event of history.eventsBetween(from, to)) {
      if (event.code < 0 || event.code >= channels.length) continue;
      const time = BigInt(Math.round(event.time)) * 1_000_000n;
      await writer.addMessage({ channelId: channels[event.code]!, sequence: sequences[event.code]!++, logTime: time, publishTime: time, data: encoder.encode(JSON.stringify(mcapSample(event.value))) });
      messages++;
    }
    await writer.end();
    closeSync(descriptor);
  } catch (error) {
    // Half an MCAP file is not one: the file this export created goes, and the error says why.
    closeSync(descriptor);
    rmSync(out, { force: true });
    throw error;
  }
  return messages;
}
