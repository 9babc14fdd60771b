import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plantModelFiles } from '../common/plant-model-files.ts';
import { openRecording, type OpenedRecording } from './open-recording.ts';
import { startHost, type RunningHost } from './twinline-host.ts';
import { startViewServer, type ViewServer } from './view-server.ts';

// A .gltf model is its JSON plus the buffers and images beside it: a recording must carry them all,
// so that `twinline open` on another machine shows the model, and serve nothing else.

const gltf = {
  asset: { version: '2.0' },
  buffers: [{ uri: 'parts/press.bin', byteLength: 4 }],
  images: [{ uri: 'textures/steel%20plate.png' }, { uri: 'data:image/png;base64,AAAA' }],
};

describe('a plant with a .gltf model, recorded and opened elsewhere', () => {
  let folder: string | undefined;
  let host: RunningHost | undefined;
  let opened: OpenedRecording | undefined;
  let server: ViewServer | undefined;
  afterEach(async () => {
    await server?.close();
    opened?.close();
    await host?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = host = opened = server = undefined;
  });

  it("carries the .gltf's buffers and images in the recording, and the opened recording serves exactly those", async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-gltf-recording-'));
    const models = join(folder, 'models');
    mkdirSync(join(models, 'parts'), { recursive: true });
    mkdirSync(join(models, 'textures'));
    writeFileSync(join(models, 'press.gltf'), JSON.stringify(gltf));
    writeFileSync(join(models, 'parts', 'press.bin'), Buffer.from([1, 2, 3, 4]));
    writeFileSync(join(models, 'textures', 'steel plate.png'), Buffer.from('png bytes'));
    writeFileSync(join(models, 'unrelated.bin'), Buffer.from('not the model'));
    writeFileSync(
      join(folder, 'plant.yaml'),
      `name: Press line
machines:
  - id: press
    name: Press
    area: A
    line: L
    model: { file: press.gltf }
    signals: [{ id: force, topic: press/force, period: 0.2 }]
`,
    );
    host = await startHost({ plantFile: join(folder, 'plant.yaml'), recording: { directory: join(folder, 'recordings') } });
    await expect.poll(() => (host!.recorder!.status().samplesTotal > 0 ? host!.recorder!.currentFile() : undefined), { timeout: 15_000 }).toBeDefined();
    const file = host.recorder!.currentFile()!;
    await host.stop();
    host = undefined;

    opened = await openRecording(file, () => undefined);
    expect(readFileSync(join(opened.modelsDirectory, 'parts', 'press.bin'))).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(readFileSync(join(opened.modelsDirectory, 'textures', 'steel plate.png'), 'utf8')).toBe('png bytes');

    const renderer = join(folder, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
    server = await startViewServer({ createViewSource: opened.createViewSource, rendererDirectory: renderer, modelsDirectory: opened.modelsDirectory, modelFiles: plantModelFiles(opened.description.plant), log: () => undefined });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${server!.port}${path}`);
      return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
    };
    expect(await get('/models/press.gltf')).toMatchObject({ status: 200 });
    expect(await get('/models/parts/press.bin')).toEqual({ status: 200, body: Buffer.from([1, 2, 3, 4]) });
    expect((await get('/models/textures/steel%20plate.png')).status).toBe(200);
    expect((await get('/models/unrelated.bin')).status).not.toBe(200);
  });
});
