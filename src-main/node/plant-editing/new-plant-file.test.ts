import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../embedded-broker.ts';
import { loadPlantFile } from '../load-plant-file.ts';
import { PlantDocument } from './plant-document.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'twinline-new-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the command line in `cwd` until it exits, or until `done` says what the test waits for is there (then SIGTERM once). */
function run(args: string[], cwd: string, done?: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopped = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (done?.(stdout) && !stopped) {
        stopped = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('twinline new', () => {
  it('writes a commented plant with the broker and no machines, a models folder, and says how to open it', async () => {
    const result = await run(['new', 'press-shop', '--broker', 'mqtt://10.0.0.5:1883', '--name', 'Press shop: line 4'], root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = join(root, 'press-shop', 'plant.yaml');
    expect(result.stdout).toContain(`twinline serve --plant ${join('press-shop', 'plant.yaml')}`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# A Twinline plant/);
    const loaded = loadPlantFile(file);
    expect(loaded.plant).toMatchObject({ name: 'Press shop: line 4', brokers: [{ id: 'main', url: 'mqtt://10.0.0.5:1883' }], machines: [] });
    expect(statSync(join(root, 'press-shop', 'models')).isDirectory()).toBe(true);
    expect(loaded.modelsDirectory).toBe(join(root, 'press-shop', 'models'));
  });

  it('never replaces a plant file', async () => {
    const folder = join(root, 'twice');
    expect((await run(['new', folder, '--broker', 'mqtt://127.0.0.1:1883'], root)).code).toBe(0);
    const before = readFileSync(join(folder, 'plant.yaml'), 'utf8');
    const again = await run(['new', folder, '--broker', 'mqtt://10.9.9.9:1883', '--name', 'Other'], root);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists: twinline new never replaces a plant file');
    expect(readFileSync(join(folder, 'plant.yaml'), 'utf8')).toBe(before);
  });

  it('names the plant after its folder, and works in the current folder', async () => {
    const folder = join(root, 'Rolling mill');
    mkdirSync(folder);
    const result = await run(['new', '--broker', 'mqtts://broker.example:8883'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('twinline serve --plant plant.yaml');
    expect(loadPlantFile(join(folder, 'plant.yaml')).plant.name).toBe('Rolling mill');
  });

  it('refuses a URL with a password, without repeating it, and writes nothing', async () => {
    const folder = join(root, 'secret');
    const result = await run(['new', folder, '--broker', 'mqtt://viewer:hunter2@10.0.0.5:1883'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('leave the username and password out of the URL');
    expect(result.stderr + result.stdout).not.toContain('hunter2');
    expect(existsSync(join(folder, 'plant.yaml'))).toBe(false);
    expect((await run(['new', folder], root)).stderr).toContain('needs --broker URL');
    expect((await run(['new', folder, '--broker', 'http://example.com'], root)).stderr).toContain('mqtt://');
  });

  it('gives a plant that serve opens and the editor adds machines to', { timeout: 30_000 }, async () => {
    const broker = await startEmbeddedBroker();
    try {
      const folder = join(root, 'served');
      expect((await run(['new', folder, '--broker', broker.url], root)).code).toBe(0);
      const file = join(folder, 'plant.yaml');
      const served = await run(['serve', '--plant', file, '--no-record', '--port', '0'], root, (stdout) => stdout.includes('Twinline is serving'));
      expect(served.stdout).toMatch(/Twinline is serving served at http:\/\/127\.0\.0\.1:\d+\//);
      expect(served.stderr).toBe('');
      const document = new PlantDocument(readFileSync(file, 'utf8'));
      const added = document.apply({ type: 'addMachine', machine: { name: 'Press 1', area: 'Press shop', line: 'Line 4', model: { file: 'press.glb' } } });
      expect(added.ok).toBe(true);
      expect(document.text).toContain('machines:\n  - id: press-1\n');
    } finally {
      await broker.close();
    }
  });
});
