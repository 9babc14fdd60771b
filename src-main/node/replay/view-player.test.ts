import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameBatch, PlayerState } from '../../common/contract.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import type { ViewPlayer } from './view-player.ts';
import { HostClient } from '../../common/host-client.ts';
import { serveView } from '../../common/view-session.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { parseCsvExport } from '../recording/export-csv.ts';
import { WebSocket } from 'ws';
import { startViewServer, websocketEndpoint, websocketPath } from '../view-server.ts';

let host: RunningHost;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-player-'));
  host = await startHost({ recording: { directory: folder, commitIntervalMs: 200 }, stageOutages: false });
  await new Promise((resolve) => setTimeout(resolve, 3000));
});

afterAll(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a view player over the demo', () => {
  it('starts live while recording goes on, and can replay the recording', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const state = (await player.player());
    expect(state).toMatchObject({ mode: 'live', capabilities: { live: true, replay: true } });
    expect(state.recording?.recording).toBe(true);
    // On a loaded machine the first answer may come before replay's (which runs on spare CPU only):
    // the recorded range then arrives with a later state.
    const range = await untilRecorded(player, 1501);
    expect(range.end - range.start).toBeGreaterThan(1500);
    player.dispose();
  });

  it('seeks to a past moment, plays at 10× and returns to live', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const frames: FrameBatch[] = [];
    const players: PlayerState[] = [];
    player.subscribe('frame', (frame) => frames.push(frame));
    player.subscribe('player', (state) => players.push(state));
    const range = await untilRecorded(player);
    const target = range.start + 500;
    let state = await player.command({ action: 'seek', time: target });
    expect(state).toMatchObject({ mode: 'replay', playing: false, time: target });
    expect(frames.at(-1)?.time).toBe(target);
    expect((await player.snapshot()).time).toBe(target);
    const fresh = (await player.snapshot()).machineHealth.filter((health) => health !== 0).length;
    expect(fresh).toBeGreaterThan(0);

    await player.command({ action: 'speed', speed: 10 });
    const started = performance.now();
    await player.command({ action: 'play' });
    // Replay runs at the lowest CPU priority, so a loaded machine may hold it back: wait for it to
    // move a second, then check it never ran ahead of 10× (and kept within the recording).
    let advanced = 0;
    await expect
      .poll(async () => {
        state = await player.player();
        advanced = state.time - target;
        return advanced;
      }, { timeout: 15_000, interval: 50 })
      .toBeGreaterThanOrEqual(1000);
    const elapsed = performance.now() - started;
    expect(advanced).toBeLessThan(elapsed * 10 * 1.4 + 100);
    // Time and range come from one replay state, so this holds however late the first range was read.
    expect(state.time).toBeLessThanOrEqual(state.range.end);

    const framesBefore = frames.length;
    state = await player.command({ action: 'live' });
    expect(state.mode).toBe('live');
    // The first frame after returning is the whole live plant (live deltas may follow it at once).
    expect(frames[framesBefore]?.full).toBe(true);
    expect(players.length).toBeGreaterThan(0);
    player.dispose();
  });

  it('steps, and clamps seeks to what was recorded', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    expect((await player.command({ action: 'seek', time: range.start - 60_000 })).time).toBe(range.start);
    expect((await player.command({ action: 'step', milliseconds: 1000 })).time).toBe(range.start + 1000);
    expect((await player.command({ action: 'seek', time: range.end + 60_000 })).time).toBeLessThanOrEqual((await player.player()).range.end);
    player.dispose();
  });

  it('answers a burst of seeks (a drag across the timeline) with the latest moment, reading only the first and the last', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const targets = [100, 200, 300, 400, 500].map((offset) => range.start + offset);
    const answers = await Promise.all(targets.map((time) => player.command({ action: 'seek', time })));
    // The first is read at once; the second waits and is replaced by each later one, which all share the last's answer.
    expect(player.supersededSeeks).toBe(3);
    expect(answers[0]!.time).toBe(targets[0]);
    for (const answer of answers.slice(1)) expect(answer.time).toBe(targets.at(-1));
    expect((await player.snapshot()).time).toBe(targets.at(-1));
    player.dispose();
  });

  it('plays from where a burst of seeks ended: a command runs after the seeks sent before it', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const targets = [100, 200, 300].map((offset) => range.start + offset);
    const seeks = targets.map((time) => player.command({ action: 'seek', time }));
    const played = await player.command({ action: 'play' });
    await Promise.all(seeks);
    expect(played.playing).toBe(true);
    expect(played.time).toBeGreaterThanOrEqual(targets.at(-1)!);
    await player.command({ action: 'pause' });
    player.dispose();
  });

  it('returns to live when asked during a burst of seeks, and stays live', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const seeks = [100, 200, 300].map((offset) => player.command({ action: 'seek', time: range.start + offset }));
    const state = await player.command({ action: 'live' });
    await Promise.all(seeks);
    expect(state.mode).toBe('live');
    // The seek that was waiting was not read after the return: the view is still live.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await player.player()).mode).toBe('live');
    player.dispose();
  });

  it('gives the timeline an overview of the plant health over the recording', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const overview = await player.timeline!({ from: range.start, to: range.end, buckets: 50, machine: 0 });
    expect(overview.plantHealth).toHaveLength(50);
    expect(overview.machineHealth).toHaveLength(50);
    expect(overview.plantHealth.some((health) => health !== 0)).toBe(true);
    player.dispose();
  });
});

describe('trends', () => {
  it('chart each of a machine’s signals from the recording, and refuse a machine the plant lacks', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const machine = host.source.describePlant().plant.machines[0]!;
    const trends = await player.trends!({ machine: 0, from: range.start, to: range.end, points: 100 });
    expect(trends.map((trend) => trend.signal)).toEqual(machine.signals.map((_, offset) => offset));
    for (const trend of trends) {
      expect(trend.resolution).toBe(10_000);
      expect(trend.time.length).toBeGreaterThan(0);
      trend.time.forEach((time, index) => {
        expect(trend.min[index]!).toBeLessThanOrEqual(trend.last[index]!);
        expect(trend.last[index]!).toBeLessThanOrEqual(trend.max[index]!);
        if (index > 0) expect(time).toBeGreaterThan(trend.time[index - 1]!);
      });
    }
    await expect(player.trends!({ machine: 10_000, from: range.start, to: range.end, points: 100 })).rejects.toThrow('the plant has no machine 10000');
    player.dispose();
  });
});

describe('choosing a recording', () => {
  it('lists the recordings folder and refuses names that are not in it', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const entries = (await player.recordings!());
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ current: true });
    expect(entries[0]!.name).toMatch(/^twinline-.*\.twinline$/);
    await expect(player.command({ action: 'replay', recording: 'elsewhere.twinline' })).rejects.toThrow(/no recording named elsewhere\.twinline/);
    expect(await player.command({ action: 'replay', recording: entries[0]!.name })).toMatchObject({ mode: 'replay', replaying: entries[0]!.name });
    player.dispose();
  });

  it('offers only recordings of the plant it shows', async () => {
    const otherText = 'name: Another line\nmachines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: s, topic: t/s }] }]\n';
    const other = join(folder, 'twinline-another-plant.twinline');
    const recorder = new Recorder(other, { plant: parsePlantOrThrow(otherText), plantText: otherText, plantFileName: 'other.yaml', models: new Map(), signalKeys: ['m/s'], brokerIds: ['default'] });
    recorder.recordSample(0, 1, Date.now());
    recorder.close();
    try {
      const player = host.createViewSource() as ViewPlayer;
      expect((await player.recordings!()).map((entry) => entry.name)).not.toContain('twinline-another-plant.twinline');
      await expect(player.command({ action: 'replay', recording: 'twinline-another-plant.twinline' })).rejects.toThrow(/no recording named/);
      player.dispose();
    } finally {
      rmSync(other);
    }
  });

  it('says why a damaged recording cannot be replayed, and stays live', async () => {
    const damaged = join(folder, 'twinline-damaged.twinline');
    writeFileSync(damaged, 'SQLite format 3\u0000 but nothing after');
    try {
      const player = host.createViewSource() as ViewPlayer;
      await expect(player.command({ action: 'replay', recording: 'twinline-damaged.twinline' })).rejects.toThrow(/Cannot open the recording .*twinline-damaged\.twinline/);
      expect((await player.player()).mode).toBe('live');
      expect((await player.snapshot()).machineHealth.length).toBeGreaterThan(0);
      player.dispose();
    } finally {
      rmSync(damaged);
    }
  });
});

describe('exporting', () => {
  it('streams the CSV to the view in chunks that add up to every recorded sample of the range', async () => {
    const [hostSide, viewSide] = endpointPair();
    const player = host.createViewSource() as ViewPlayer;
    const end = serveView(hostSide, player, (problem) => expect.fail(problem));
    const client = new HostClient(viewSide);
    try {
      const range = await untilRecorded(client);
      const signals = host.source.describePlant().signalKeys;
      const chunks: string[] = [];
      const { rows, bytes } = await client.request('exportCsv', { signals, from: range.start, to: range.end }, (chunk) => chunks.push(chunk));
      const samples = parseCsvExport(chunks.join(''));
      expect(samples).toHaveLength(rows);
      expect(rows).toBeGreaterThan(100);
      expect(bytes).toBe(Buffer.byteLength(chunks.join('')));
      // In time order, within the range, across every chunk.
      expect(samples.every((sample, index) => sample.time >= range.start && sample.time <= range.end && (index === 0 || sample.time >= samples[index - 1]!.time))).toBe(true);
      // The client's own helper gathers the same text.
      expect((await client.exportCsv({ signals, from: range.start, to: range.end })).rows).toBe(rows);
    } finally {
      client.close();
      end();
    }
  });
});

describe('replay beside live, on a budget', () => {
  it('hands an export on no faster than the rate the host gives replay, and whole', { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'twinline-budget-'));
    const bytesPerSecond = 8000;
    const budgeted = await startHost({ recording: { directory, commitIntervalMs: 200 }, stageOutages: false, replayBytesPerSecond: bytesPerSecond });
    const [hostSide, viewSide] = endpointPair();
    const end = serveView(hostSide, budgeted.createViewSource(), (problem) => expect.fail(problem));
    const client = new HostClient(viewSide);
    try {
      const range = await untilRecorded(client, 2000);
      const signals = budgeted.source.describePlant().signalKeys;
      const started = performance.now();
      const chunks: string[] = [];
      const { rows, bytes } = await client.request('exportCsv', { signals, from: range.start, to: range.end }, (chunk) => chunks.push(chunk));
      const tookMs = performance.now() - started;
      expect(parseCsvExport(chunks.join(''))).toHaveLength(rows);
      // A second's worth passes at once; the rest at the rate (a loaded machine only makes it slower).
      expect(bytes).toBeGreaterThan(3 * bytesPerSecond);
      expect(tookMs).toBeGreaterThanOrEqual(((bytes - bytesPerSecond) / bytesPerSecond) * 1000 - 50);

      // The export spent the budget: a play now waits its turn, and a pause sent after it waits behind it.
      await client.request('player', { action: 'replay', time: range.start + 500 });
      const playing = client.request('player', { action: 'play' });
      const paused = client.request('player', { action: 'pause' });
      await Promise.all([playing, paused]);
      expect((await client.request('getPlayer', {})).playing).toBe(false);
    } finally {
      client.close();
      end();
      await budgeted.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('frames sent as text', () => {
  it('reach a view that takes encoded frames exactly as the frames an in-process listener gets, live and replayed', async () => {
    const [hostSide, viewSide] = endpointPair();
    const encodedSent: string[] = [];
    // A channel that sends text, as the WebSocket and the Electron port do.
    const textChannel = { ...hostSide, sendEncodedFrame: (event: { encoded: string }) => (encodedSent.push(event.encoded), hostSide.send(event.encoded)) };
    const player = host.createViewSource() as ViewPlayer;
    const direct: FrameBatch[] = [];
    player.subscribe('frame', (frame) => direct.push(frame));
    const end = serveView(textChannel, player, (problem) => expect.fail(problem));
    const client = new HostClient(viewSide);
    const received: FrameBatch[] = [];
    client.subscribe('frame', (frame) => received.push(frame));
    try {
      // Live: every frame the view got is one the player made, in the same order, equal in every field.
      await until(() => received.length >= 3);
      const live = received.slice();
      const first = direct.findIndex((frame) => frame.time === live[0]!.time);
      expect(live).toEqual(direct.slice(first, first + live.length));
      // Replay: the whole frame the worker encoded when replay began equals the snapshot it answers with.
      const range = await untilRecorded(client);
      const moment = range.start + 300;
      const before = received.length;
      await client.request('player', { action: 'replay', time: moment });
      await until(() => received.slice(before).some((frame) => frame.full && frame.time === moment));
      const replayed = received.slice(before).find((frame) => frame.full && frame.time === moment)!;
      expect(replayed).toEqual(await client.request('getSnapshot', {}));
      expect(replayed.machineHealth.length).toBe(host.source.describePlant().plant.machines.length);
      expect(encodedSent.length).toBeGreaterThan(3);
    } finally {
      client.close();
      end();
    }
  });
});

describe('replay frames over a real WebSocket', () => {
  it('arrive as text messages made of the bytes the worker encoded, equal to the snapshot', async () => {
    const rendererDirectory = mkdtempSync(join(tmpdir(), 'twinline-player-renderer-'));
    const server = await startViewServer({ createViewSource: host.createViewSource, rendererDirectory, modelsDirectory: rendererDirectory, log: (line) => expect.fail(line) });
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${websocketPath}`);
    const kinds: boolean[] = [];
    socket.on('message', (_data, isBinary) => kinds.push(isBinary));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const client = new HostClient(websocketEndpoint(socket));
    const received: FrameBatch[] = [];
    client.subscribe('frame', (frame) => received.push(frame));
    try {
      const range = await untilRecorded(client);
      const moment = range.start + 300;
      const before = received.length;
      await client.request('player', { action: 'replay', time: moment });
      await until(() => received.slice(before).some((frame) => frame.full && frame.time === moment));
      const replayed = received.slice(before).find((frame) => frame.full && frame.time === moment)!;
      expect(replayed).toEqual(await client.request('getSnapshot', {}));
      // Every message, the worker's frame bytes included, is a text message a browser parses as JSON.
      expect(kinds.length).toBeGreaterThan(2);
      expect(kinds.every((binary) => !binary)).toBe(true);
    } finally {
      client.close();
      await server.close();
      rmSync(rendererDirectory, { recursive: true, force: true });
    }
  });
});

describe('looping', () => {
  it('plays a range over and over', async () => {
    const player = host.createViewSource() as ViewPlayer;
    const range = await untilRecorded(player);
    const loop = { start: range.start + 200, end: range.start + 700 };
    await player.command({ action: 'loop', range: loop });
    await player.command({ action: 'seek', time: loop.start });
    await player.command({ action: 'speed', speed: 10 });
    await player.command({ action: 'play' });
    const seen: number[] = [];
    for (let sample = 0; sample < 8; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      seen.push((await player.player()).time);
    }
    player.dispose();
    expect(seen.every((time) => time >= loop.start && time <= loop.end)).toBe(true);
    // It went round at least once: the clock came back to an earlier moment.
    expect(seen.some((time, index) => index > 0 && time < seen[index - 1]!)).toBe(true);
  });
});

describe('a recording that rolls over while it is replayed', () => {
  it('keeps the whole session on the timeline, and the replay goes on across files', { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'twinline-rollover-'));
    const rolling = await startHost({ recording: { directory, commitIntervalMs: 200, maxFileMs: 1000 }, stageOutages: false });
    try {
      const player = rolling.createViewSource() as ViewPlayer;
      // A loaded machine may take more than a second to commit the first batch.
      const first = await untilRecorded(player);
      await player.command({ action: 'seek', time: first.start + 100 });
      const startedAt = (await player.player()).time;
      // Two more rollovers happen meanwhile; the range follows each new file once it holds events.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      let state = await player.player();
      for (let waited = 0; state.range.end <= first.end + 1500 && waited < 30_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await player.player();
      }
      const files = (await player.recordings!());
      expect(files.length).toBeGreaterThanOrEqual(3);
      state = await player.player();
      expect(state.range.start).toBe(first.start);
      expect(state.range.end).toBeGreaterThan(first.end + 1500);
      expect(state.sessionFiles).toBe(files.length);
      // Seeking into the newest file and back to the first works on the same history.
      expect((await player.command({ action: 'seek', time: state.range.end - 100 })).time).toBe(state.range.end - 100);
      expect((await player.snapshot()).machineHealth.some((health) => health !== 0)).toBe(true);
      expect((await player.command({ action: 'seek', time: startedAt })).time).toBe(startedAt);
      // The timeline's overview covers the session too.
      const overview = await player.timeline!({ from: state.range.start, to: state.range.end, buckets: 20, machine: 0 });
      // The recording grows meanwhile: the overview's range lies between what the player said before and after.
      const after = (await player.player()).range;
      expect(overview.range.start).toBe(state.range.start);
      expect(overview.range.end).toBeGreaterThanOrEqual(state.range.end);
      expect(overview.range.end).toBeLessThanOrEqual(after.end);
      expect(overview.machineHealth).toHaveLength(20);
      player.dispose();
    } finally {
      await rolling.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/**
 * The recorded range once the recording holds at least `minimumMs` of events (a second, as most tests
 * need): on a loaded machine a player's first states may come before replay's, with an empty range.
 */
async function untilRecorded(player: ViewPlayer | HostClient, minimumMs = 1000): Promise<PlayerState['range']> {
  for (let waited = 0; ; waited += 100) {
    const { range } = player instanceof HostClient ? await player.request('getPlayer', {}) : await player.player();
    if (range.end - range.start >= minimumMs) return range;
    if (waited > 30_000) throw new Error(`after 30 s the recording holds only ${range.end - range.start} ms of events`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a view replaying when recording stops', () => {
  it('goes on replaying what was recorded, and the host goes on with live', { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'twinline-stop-'));
    const stopping = await startHost({ recording: { directory, commitIntervalMs: 200 }, stageOutages: false });
    try {
      const player = stopping.createViewSource() as ViewPlayer;
      const range = await untilRecorded(player);
      await player.command({ action: 'seek', time: range.start + 100 });
      await player.command({ action: 'play' });
      // Recording stops (the disk filled, or the user turned it off) while the view plays.
      await stopping.recorder!.stop();
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Playback went on over the stop; paused (a tick of playback between the seek and the step would move the time), the file stays replayable: seeking and stepping still work, and say nothing is wrong.
      expect((await player.command({ action: 'pause' })).problem).toBeNull();
      expect((await player.command({ action: 'seek', time: range.start + 200 })).time).toBe(range.start + 200);
      const stepped = await player.command({ action: 'step', milliseconds: 100 });
      expect(stepped).toMatchObject({ mode: 'replay', time: range.start + 300, problem: null });
      // Live goes on beside it.
      const liveFrames: number[] = [];
      const stopListening = stopping.source.subscribe('frame', (frame) => liveFrames.push(frame.time));
      await new Promise((resolve) => setTimeout(resolve, 300));
      stopListening();
      expect(liveFrames.length).toBeGreaterThan(0);
      expect((await player.command({ action: 'live' })).mode).toBe('live');
      player.dispose();
    } finally {
      await stopping.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Waits until `condition` holds (at most 10 s): behaviour, not time. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`still not true after 10 s: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
