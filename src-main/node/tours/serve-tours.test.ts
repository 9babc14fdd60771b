import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ToursView } from '../../common/tours/tours-schema.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { writeNewPlant } from '../plant-editing/new-plant-file.ts';
import { until } from '../testing/until.ts';
import { websocketPath } from '../view-server.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-serve-tours-'));
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

type Response = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: { message: string } };

/** Asks the host one thing over a connection of its own, as a view does. */
async function ask(url: string, method: string, params: unknown = {}): Promise<Response> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
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

describe('twinline serve and tours', () => {
  it('keeps a view\'s viewpoints and tours in plant.tours.yaml beside the plant, validated, and prints a kiosk address', { timeout: 90_000 }, async () => {
    broker = await startEmbeddedBroker();
    const file = writeNewPlant(join(folder, 'cell'), { brokerUrl: broker.url, name: 'Robot cell' });
    serve = spawn(process.execPath, [cli, 'serve', '--plant', file, '--no-record', '--port', '0', '--kiosk', 'Morning walk'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    serve.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const printed = await until(() => /Twinline is serving .* at (http:\/\/\S+)\n/.exec(stdout)?.[1], 'the server address', () => ({ stdout, stderr }), 60_000);
    // The kiosk's address opens presentation mode on the tour; the tour is not written yet, which is said.
    expect(new URL(printed).searchParams.get('present')).toBe('Morning walk');
    expect(stderr).toContain('has no tour "Morning walk" yet');
    const url = `${new URL(printed).origin.replace('http', 'ws')}${websocketPath}`;

    const empty = await ask(url, 'getTours');
    expect(empty).toMatchObject({ ok: true, result: { fileName: 'plant.tours.yaml', writable: true, problem: null, document: { viewpoints: [], tours: [] } } });

    const document = {
      viewpoints: [{ name: 'Overview', position: [30, 40, 60], target: [0, 0, 0] }],
      tours: [{ name: 'Morning walk', steps: [{ viewpoint: 'Overview', caption: 'The whole cell', seconds: 3 }] }],
    };
    const saved = await ask(url, 'saveTours', document);
    expect(saved).toMatchObject({ ok: true, result: { document: { version: 1, ...document } } });
    expect(readFileSync(join(folder, 'cell', 'plant.tours.yaml'), 'utf8')).toContain('The whole cell');

    // A view's forged tours are refused and leave the file as it was.
    const forged = await ask(url, 'saveTours', { ...document, tours: [{ name: 'Morning walk', steps: [{ viewpoint: 'Elsewhere', caption: '', seconds: 3 }] }] });
    expect(forged).toMatchObject({ ok: false, error: { message: expect.stringContaining('no viewpoint named') } });
    expect(readFileSync(join(folder, 'cell', 'plant.tours.yaml'), 'utf8')).toContain('The whole cell');

    // An edit by hand shows at the next request; a damaged file is reported, not served as tours.
    writeFileSync(join(folder, 'cell', 'plant.tours.yaml'), 'tours: 7\n');
    expect(await ask(url, 'getTours')).toMatchObject({ ok: true, result: { problem: expect.stringContaining('not a valid tours file'), document: { tours: [] } } });
  });
});
