import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FrameBatch, PlantDescription } from '../../common/contract.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { modelUploadChunkBytes } from '../../common/model-upload.ts';
import type { PlantEditorReply, PlantEditorView } from '../../common/plant-edit.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { until } from '../testing/until.ts';
import { websocketPath } from '../view-server.ts';
import { writeNewPlant } from './new-plant-file.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const repositoryModels = fileURLToPath(new URL('../../../models/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-serve-edit-'));
let broker: EmbeddedBroker | undefined;
let serve: ChildProcess | undefined;
let publisher: mqtt.MqttClient | undefined;
/** A password written in the plant file as it is: it must never reach a view. */
const password = 'hunter2-never-for-views';
/** Every message any view received, as sent. */
let received = '';

afterAll(async () => {
  await publisher?.endAsync(true);
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await broker?.close();
  rmSync(folder, { recursive: true, force: true });
});

type Response = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: { message: string } };

/**
 * Asks the host one thing over a connection of its own, as a view does; a saved plant makes the
 * host close its views (they link again), so no connection is kept between requests.
 */
async function ask(url: string, method: string, params: unknown = {}): Promise<Response> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => {
    received += data.toString('utf8');
    messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  try {
    socket.send(JSON.stringify({ type: 'request', id: 1, method, params }));
    return (await until(() => messages.find((message) => message.type === 'response' && message.id === 1), `the answer to ${method}`, undefined, 20_000)) as Response;
  } finally {
    socket.close();
  }
}

/** Asks several things over one connection, as one view does: an upload belongs to the view that began it. */
async function onOneConnection<T>(url: string, run: (ask: <R>(method: string, params: unknown) => Promise<R>) => Promise<T>): Promise<T> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => {
    received += data.toString('utf8');
    messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let next = 1;
  try {
    return await run(async <R>(method: string, params: unknown) => {
      const id = next++;
      socket.send(JSON.stringify({ type: 'request', id, method, params }));
      const response = (await until(() => messages.find((message) => message.type === 'response' && message.id === id), `the answer to ${method}`, undefined, 20_000)) as Response;
      if (!response.ok) throw new Error(`${method} failed: ${response.error.message}`);
      return response.result as R;
    });
  } finally {
    socket.close();
  }
}

async function result<T>(url: string, method: string, params: unknown = {}): Promise<T> {
  const response = await ask(url, method, params);
  if (!response.ok) throw new Error(`${method} failed: ${response.error.message}`);
  return response.result as T;
}

describe('twinline serve --edit', () => {
  it('refuses to start without a plant file to edit', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--edit', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('serve --edit needs --plant FILE');
  });

  it('lets a view build a plant from twinline new: add a machine from a GLB, bind and limit a signal, undo, redo, save; the saved plant runs and alarms', { timeout: 90_000 }, async () => {
    broker = await startEmbeddedBroker();
    const file = writeNewPlant(join(folder, 'cell'), { brokerUrl: broker.url, name: 'Robot cell' });
    copyFileSync(join(repositoryModels, 'robot.glb'), join(folder, 'cell', 'models', 'robot.glb'));
    writeFileSync(file, readFileSync(file, 'utf8').replace(`    url: ${broker.url}\n`, `    url: ${broker.url}\n    username: viewer\n    password: ${password}\n`));
    const created = readFileSync(file, 'utf8');
    expect(created).toContain(password);
    serve = spawn(process.execPath, [cli, 'serve', '--plant', file, '--edit', '--no-record', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    serve.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const address = await until(() => /Twinline is serving .* at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1], 'the server address', () => ({ stdout, stderr }), 30_000);
    const url = `${address.replace('http', 'ws')}${websocketPath}`;

    const opened = await result<PlantEditorView>(url, 'getPlantEditor');
    expect(opened.state).toMatchObject({ fileName: 'plant.yaml', unsaved: false, changedOnDisk: false });
    expect(opened.plant.machines).toEqual([]);
    // The models folder's files are offered by name, and served before any saved plant names them.
    writeFileSync(join(folder, 'cell', 'models', 'notes.txt'), 'not a model');
    expect(await result(url, 'listModelFiles')).toEqual({ files: ['robot.glb'], more: 0 });
    expect((await fetch(`${address}/models/robot.glb`)).status).toBe(200);
    expect((await fetch(`${address}/models/notes.txt`)).status).toBe(404);
    // A model dropped on a view is uploaded in chunks, written under a safe name, listed and served.
    const bytes = readFileSync(join(repositoryModels, 'robot.glb'));
    const uploaded = await onOneConnection(url, async (ask) => {
      const begun = await ask<{ uploadId: string }>('uploadModelFile', { step: 'begin', name: '../Robot copy.glb', size: bytes.length });
      for (let offset = 0; offset < bytes.length; offset += modelUploadChunkBytes) {
        await ask('uploadModelFile', { step: 'chunk', uploadId: begun.uploadId, offset, data: bytes.subarray(offset, offset + modelUploadChunkBytes).toString('base64') });
      }
      return ask('uploadModelFile', { step: 'finish', uploadId: begun.uploadId });
    });
    // Named as a plant's model field takes it: the space made "-".
    expect(uploaded).toEqual({ file: 'Robot-copy.glb' });
    expect(readFileSync(join(folder, 'cell', 'models', 'Robot-copy.glb')).equals(bytes)).toBe(true);
    expect(await result(url, 'listModelFiles')).toEqual({ files: ['Robot-copy.glb', 'robot.glb'], more: 0 });
    expect((await fetch(`${address}/models/Robot-copy.glb`)).status).toBe(200);

    const edit = (request: unknown) => result<PlantEditorReply>(url, 'editPlant', request);
    expect(await edit({ action: 'apply', edit: { type: 'addMachine', machine: { name: 'Robot 1', area: 'Cell', line: 'Weld', model: { file: 'robot.glb' }, position: [4, 0, 2] } } })).toMatchObject({ ok: true, plant: { machines: [{ id: 'robot-1' }] } });
    expect(await edit({ action: 'apply', edit: { type: 'bindSignal', machineId: 'robot-1', signal: { id: 'torque', topic: 'cell/robot-1/status', path: 'axes[2].torque', unit: 'N·m' } } })).toMatchObject({ ok: true });
    expect(await edit({ action: 'apply', edit: { type: 'setSignalFields', machineId: 'robot-1', signalId: 'torque', limits: { highWarn: 40, highAlarm: 50 } } })).toMatchObject({ ok: true });
    // A wrong edit is refused with the plant's own words, and changes nothing.
    expect(await edit({ action: 'apply', edit: { type: 'setSignalFields', machineId: 'robot-1', signalId: 'torque', limits: { highWarn: 60, highAlarm: 50 } } })).toMatchObject({ ok: false, reason: expect.stringContaining('must not be below highWarn') });
    // A malformed one never reaches the editor.
    expect(await ask(url, 'editPlant', { action: 'apply', edit: { type: 'moveMachine', machineId: 'robot-1', position: [1, 2] } })).toMatchObject({ ok: false });
    expect(await edit({ action: 'undo' })).toMatchObject({ ok: true, state: { redo: 'Change robot-1/torque' } });
    expect((await result<PlantEditorView>(url, 'getPlantEditor')).plant.machines[0]!.signals[0]!.limits).toBeUndefined();
    expect(await edit({ action: 'redo' })).toMatchObject({ ok: true, state: { unsaved: true } });
    expect(readFileSync(file, 'utf8')).toBe(created);

    // Someone changes the file meanwhile: the editor offers it, and a save does not overwrite it unasked.
    appendFileSync(file, '# a note from another editor\n');
    await until(async () => (await result<PlantEditorView>(url, 'getPlantEditor')).state.changedOnDisk, 'the outside change offered', () => ({ stdout, stderr }), 20_000, 200);
    expect(await edit({ action: 'save' })).toMatchObject({ ok: false, conflict: true, reason: expect.stringContaining('changed by someone else') });
    expect(await edit({ action: 'save', overwrite: true })).toMatchObject({ ok: true, state: { unsaved: false, changedOnDisk: false }, notes: [] });

    // The file holds the edits, in place: the comments of twinline new are still there.
    const saved = readFileSync(file, 'utf8');
    expect(saved.startsWith(created.slice(0, created.indexOf('machines:')))).toBe(true);
    expect(parsePlantOrThrow(saved).machines[0]).toMatchObject({ id: 'robot-1', position: [4, 0, 2], signals: [{ id: 'torque', topic: 'cell/robot-1/status', path: 'axes[2].torque', limits: { highWarn: 40, highAlarm: 50 } }] });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(`${created}# a note from another editor\n`);

    // The saved plant runs: its topic is subscribed, and a torque over the alarm limit turns the robot to alarm.
    const plant = await until(async () => {
      const description = await result<PlantDescription>(url, 'getPlant');
      return description.plant.machines.length === 1 && description;
    }, 'the saved plant running', () => ({ stdout, stderr }), 20_000, 200);
    expect(plant.signalKeys).toEqual(['robot-1/torque']);
    publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await until(async () => {
      await publisher!.publishAsync('cell/robot-1/status', JSON.stringify({ axes: [{}, {}, { torque: 55 }] }));
      const snapshot = await result<FrameBatch>(url, 'getSnapshot');
      // A snapshot is a full frame: machine 0 is at position 0.
      return snapshot.machineHealth[0] === Health.alarm;
    }, 'robot-1 in alarm', () => ({ stdout, stderr }), 20_000, 200);
    // The password written in the file is warned about (and sent over plain MQTT), never shown.
    expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Warning:'))).toEqual([]);
    expect(stdout + stderr).not.toContain(password);
    expect(received).toContain('robot-1');
    expect(received).not.toContain(password);
    // Views are not told where the host keeps its files.
    expect(received).not.toContain(folder);
  });

  it('answers no edit request when not started with --edit', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--plant', join(folder, 'cell', 'plant.yaml'), '--no-record', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const address = await until(() => /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1], 'the server address', () => stdout, 30_000);
      const response = await ask(`${address.replace('http', 'ws')}${websocketPath}`, 'editPlant', { action: 'undo' });
      expect(response).toMatchObject({ ok: false, error: { message: expect.stringContaining('not open for editing') } });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
