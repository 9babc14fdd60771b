import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { compareRecordingNames, listRecordings, RecordingManager } from './recording-manager.ts';
import { decodeKeyframe } from './chunk-codec.ts';
import { RecordingReader } from './recording-reader.ts';
import { RecordingSequence, sessionFiles } from './recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-manager-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Managed line
machines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: s, topic: t/s, limits: { highAlarm: 10 } }] }]
`;
const source = { plant: parsePlantOrThrow(plantText), plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['m/s'], brokerIds: ['default'] };

describe('RecordingManager', () => {
  it('reports a folder it cannot write to, and lets live go on', () => {
    const blocker = join(folder, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const manager = new RecordingManager(source, { directory: join(blocker, 'recordings') });
    manager.start();
    expect(() => manager.onSample(0, 1, Date.now())).not.toThrow();
    const status = manager.status();
    expect(status.recording).toBe(false);
    expect(status.error).toContain(join(blocker, 'recordings'));
    manager.stop();
  });

  it('rolls over to a new file that starts with the state the old one ended with', () => {
    const directory = join(folder, 'rollover');
    let now = 1_700_000_000_000;
    const manager = new RecordingManager(source, { directory, maxFileMs: 60_000, clock: () => now });
    manager.start();
    manager.onConnection(0, true, now);
    manager.onSample(0, 12, now);
    manager.commit();
    const first = manager.currentFile();
    now += 61_000;
    manager.commit();
    manager.onSample(0, 5, now + 10);
    manager.commit();
    const second = manager.currentFile();
    manager.stop();
    expect(second).not.toBe(first);
    expect(listRecordings(directory).map((entry) => entry.file)).toEqual([first, second].sort());
    // The second file's first keyframe is the state the first one ended with.
    const database = new DatabaseSync(second!, { readOnly: true });
    const firstChunk = database.prepare('SELECT keyframe FROM chunks ORDER BY start_time LIMIT 1').get() as { keyframe: Uint8Array };
    database.close();
    const carried = decodeKeyframe(firstChunk.keyframe);
    expect(carried.signals[0]?.value).toBe(12);
    expect(carried.connected).toEqual([true]);
    expect(manager.status().samplesTotal).toBe(2);
    // And the file begins where its own events do, so it never claims a moment of the one before.
    const reader = new RecordingReader(second!);
    expect(reader.timeRange().start).toBe(now + 10);
    expect(reader.stateAt(now + 10).signals[0]?.value).toBe(5);
    reader.close();
  });

  it("keeps what the sources said about the signals (units, ranges) in every file, a rollover's new one included", () => {
    const directory = join(folder, 'metadata');
    let now = 1_700_000_000_000;
    const manager = new RecordingManager(source, { directory, maxFileMs: 60_000, clock: () => now });
    manager.start();
    manager.onSample(0, 1, now);
    manager.onMetadata([{ signal: 0, unit: 'bar', low: 0, high: 16 }]);
    manager.commit();
    const first = manager.currentFile()!;
    manager.onMetadata([{ signal: 0, unit: 'bar', low: 0, high: 25 }]);
    now += 61_000;
    manager.commit();
    const second = manager.currentFile()!;
    manager.onSample(0, 2, now);
    manager.commit();
    manager.stop();
    expect(second).not.toBe(first);
    const metadataOf = (file: string) => {
      const reader = new RecordingReader(file);
      try {
        return reader.signalMetadata();
      } finally {
        reader.close();
      }
    };
    expect(metadataOf(first)).toEqual([{ signal: 0, unit: 'bar', low: 0, high: 25 }]);
    // The new file says it from its start, though the sources said nothing new since.
    expect(metadataOf(second)).toEqual([{ signal: 0, unit: 'bar', low: 0, high: 25 }]);
  });

  it('survives a disk that fills up at a rollover, says why, and records again once there is room', async () => {
    const directory = join(folder, 'disk-full');
    let now = 1_700_000_000_000;
    let pagesLeft: number | undefined;
    const logged: string[] = [];
    // The timer commits (as the host does), so an error escaping it would reach no handler and fail this run.
    const manager = new RecordingManager(source, { directory, maxFileMs: 60_000, commitIntervalMs: 10, clock: () => now, maxFilePages: () => pagesLeft, log: (line) => logged.push(line) });
    manager.start();
    manager.onSample(0, 1, now);
    const first = manager.currentFile();
    await until(() => manager.status().samplesPerSecond !== undefined && manager.status().samplesTotal === 1);
    // The disk fills: the next file cannot take even its tables.
    pagesLeft = 3;
    now += 61_000;
    await until(() => manager.status().error !== undefined);
    expect(manager.status()).toMatchObject({ recording: false, error: expect.stringMatching(/Recording stopped: database or disk is full/) });
    expect(logged.join('\n')).toMatch(/database or disk is full \(trying again in 5 s\)/);
    // Live samples meanwhile are dropped by recording, never thrown at live ingest.
    expect(() => manager.onSample(0, 2, now)).not.toThrow();
    // Room again: recording resumes in a new file once the retry is due.
    pagesLeft = undefined;
    now += 6_000;
    await until(() => manager.status().recording);
    manager.onSample(0, 3, now);
    await until(() => manager.status().samplesTotal === 2);
    const resumed = manager.currentFile();
    manager.stop();
    expect(manager.status().error).toBeUndefined();
    expect(resumed).not.toBe(first);
    // The half-made file of the failed rollover was removed; the first and the resumed one stay.
    expect(listRecordings(directory).map((entry) => entry.file)).toEqual([first, resumed]);
  });

  it('deletes the oldest recordings beyond the retention limit, never the one being written', () => {
    const directory = join(folder, 'retention');
    let now = 1_700_000_000_000;
    const manager = new RecordingManager(source, { directory, maxFileMs: 1000, maxTotalBytes: 1, clock: () => now });
    manager.start();
    for (let index = 0; index < 4; index++) {
      manager.onSample(0, index, now);
      now += 1500;
      manager.commit();
    }
    const remaining = listRecordings(directory).map((entry) => entry.file);
    expect(remaining).toEqual([manager.currentFile()]);
    manager.stop();
  });

  // A real full disk: a 256 KiB tmpfs. Mounting needs root, as on the CI machine; elsewhere the test says why it did not run.
  const small = join(folder, 'small-disk');
  mkdirSync(small);
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small], { stdio: 'ignore' });
    mounted = true;
  } catch {
    // Not permitted here.
  }
  it.skipIf(!mounted)('stops with a visible error when the disk is full, keeps what it committed, and lets live go on', () => {
    try {
      let now = 1_700_000_000_000;
      const manager = new RecordingManager(source, { directory: small, clock: () => now });
      manager.start();
      manager.onConnection(0, true, now);
      let committedUpTo = 0;
      for (let second = 0; second < 10_000 && manager.status().recording; second++) {
        for (let sample = 0; sample < 200; sample++) manager.onSample(0, Math.random() * 1e6, (now += 5));
        manager.commit();
        if (manager.status().recording) committedUpTo = now;
      }
      const status = manager.status();
      expect(status.recording).toBe(false);
      expect(status.error).toMatch(/stopped: database or disk is full/);
      expect(() => manager.onSample(0, 1, (now += 5))).not.toThrow();
      manager.stop();
      const [file] = listRecordings(small);
      const reader = new RecordingReader(file!.file);
      expect(reader.timeRange().end).toBe(committedUpTo);
      reader.close();
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('orders recordings as they were made, several in one second included', () => {
    const names = ['twinline-20261125-083000Z-10.twinline', 'twinline-20261125-083001Z.twinline', 'twinline-20261125-083000Z-2.twinline', 'twinline-20261125-083000Z.twinline', 'twinline-20261124-235959Z.twinline'];
    expect([...names].sort(compareRecordingNames)).toEqual([
      'twinline-20261124-235959Z.twinline',
      'twinline-20261125-083000Z.twinline',
      'twinline-20261125-083000Z-2.twinline',
      'twinline-20261125-083000Z-10.twinline',
      'twinline-20261125-083001Z.twinline',
    ]);
  });

  it('keeps files and times in order when the clock is set back at a rollover', () => {
    const directory = join(folder, 'clock-set-back');
    let now = 1_700_000_000_000;
    // Every commit rolls over (any file is over one byte).
    const manager = new RecordingManager(source, { directory, maxFileBytes: 1, clock: () => now });
    manager.start();
    manager.onSample(0, 1, now);
    manager.commit();
    const before = now;
    // The clock goes back an hour between two rollovers.
    now -= 3_600_000;
    manager.onSample(0, 2, now);
    manager.commit();
    manager.onSample(0, 3, now);
    manager.commit();
    manager.stop();
    const files = listRecordings(directory).map((entry) => entry.file);
    expect(files).toHaveLength(4);
    // Named in the order they were made, and no file holds a moment before the one it follows.
    const sequence = new RecordingSequence(sessionFiles(directory, files[0]!), () => false);
    expect(sequence.fileCount()).toBe(4);
    expect([...sequence.eventsBetween(before - 3_600_000, before)].filter((event) => event.code >= 0).map((event) => [event.value, event.time])).toEqual([
      [1, before],
      [2, before],
      [3, before],
    ]);
    sequence.close();
  });
});

/** Waits until `condition` holds, checking every 10 ms (at most 10 s): what is waited for is behaviour, not time. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`still not true after 10 s: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('listRecordings', () => {
  it('lists a link to nothing, a looping link, a folder and an unreadable file with the reason, and never throws', () => {
    const directory = join(folder, 'odd-names');
    mkdirSync(directory);
    writeFileSync(join(directory, 'a-good.twinline'), 'bytes');
    symlinkSync(join(directory, 'nowhere'), join(directory, 'b-gone.twinline'));
    symlinkSync(join(directory, 'c-loop.twinline'), join(directory, 'c-loop.twinline'));
    mkdirSync(join(directory, 'd-folder.twinline'));
    writeFileSync(join(directory, 'e-locked.twinline'), 'bytes');
    chmodSync(join(directory, 'e-locked.twinline'), 0);
    const entries = listRecordings(directory).map(({ file, problem }) => [file.slice(directory.length + 1), problem]);
    // Root reads any file, so a locked file is unreadable only to other users.
    const locked = process.getuid?.() === 0 ? undefined : 'it cannot be read (EACCES)';
    expect(entries).toEqual([
      ['a-good.twinline', undefined],
      ['b-gone.twinline', 'it is a link to a file that does not exist'],
      ['c-loop.twinline', 'it is a link that leads back to itself'],
      ['d-folder.twinline', 'it is not a file'],
      ['e-locked.twinline', locked],
    ]);
    expect(sessionFiles(directory, join(directory, 'b-gone.twinline'))).toEqual([join(directory, 'b-gone.twinline')]);
  });
});
