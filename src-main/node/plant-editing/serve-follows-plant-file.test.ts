import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { until } from '../testing/until.ts';
import { websocketPath } from '../view-server.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const repositoryModels = fileURLToPath(new URL('../../../models/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-serve-follow-'));
let broker: EmbeddedBroker | undefined;
let serve: ChildProcess | undefined;

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await broker?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** One view's connection: every message it received, and how it closed. */
function openView(url: string): Promise<{ socket: WebSocket; messages: Array<Record<string, unknown>>; closed: () => number | undefined }> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  let code: number | undefined;
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  socket.on('close', (closeCode) => (code = closeCode));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, closed: () => code }));
    socket.once('error', reject);
  });
}

/** The machine ids of the plant a fresh view is given. */
async function viewedMachines(url: string): Promise<string[]> {
  const view = await openView(url);
  view.socket.send(JSON.stringify({ type: 'request', id: 1, method: 'getPlant', params: {} }));
  const response = await until(() => view.messages.find((message) => message.type === 'response' && message.id === 1), 'the plant');
  view.socket.close();
  return ((response.result as { plant: { machines: Array<{ id: string }> } }).plant.machines).map((machine) => machine.id);
}

describe('twinline serve --plant', () => {
  it('follows its plant file: views are asked to link again and get the changed plant, and its new model files are served', { timeout: 60_000 }, async () => {
    broker = await startEmbeddedBroker();
    const file = join(folder, 'plant.yaml');
    const plant = (machines: string) => `name: Followed\nbrokers:\n  - id: line\n    url: ${broker!.url}\nmachines:${machines}\n`;
    writeFileSync(file, plant(' []'));
    serve = spawn(process.execPath, [cli, 'serve', '--plant', file, '--no-record', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    serve.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const address = await until(() => /Twinline is serving .* at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1], 'the server address', () => ({ stdout, stderr }), 30_000);
    const url = `${address.replace('http', 'ws')}${websocketPath}`;
    expect(await viewedMachines(url)).toEqual([]);
    expect((await fetch(`${address}/models/robot.glb`)).status).toBe(404);

    const watching = await openView(url);
    mkdirSync(join(folder, 'models'));
    copyFileSync(join(repositoryModels, 'robot.glb'), join(folder, 'models', 'robot.glb'));
    writeFileSync(file, plant('\n  - { id: press-1, name: Press 1, area: A, line: L, model: { file: robot.glb } }'));
    // The open view is closed as for a service restart, so that it links again and loads the plant anew.
    await until(() => watching.closed(), 'the view asked to link again', () => ({ stdout, stderr }), 20_000);
    expect(watching.closed()).toBe(1012);
    expect(await viewedMachines(url)).toEqual(['press-1']);
    expect((await fetch(`${address}/models/robot.glb`)).status).toBe(200);
    expect(stdout).toContain('The plant file changed: now showing Followed (1 machine)');
    expect(stderr).toBe('');
  });
});
