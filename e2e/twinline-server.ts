import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { startEmbeddedBroker, type EmbeddedBroker } from '../src-main/node/embedded-broker.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** A real broker, `twinline serve` on a test plant, and a publisher: what an end-to-end test drives. */
export interface TwinlineUnderTest {
  url: string;
  broker: EmbeddedBroker;
  publisher: MqttClient;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts an Aedes broker and `twinline serve --plant PLANT --broker …` on free ports. */
export async function startTwinline(plantFile: string): Promise<TwinlineUnderTest> {
  const broker = await startEmbeddedBroker();
  const recordings = mkdtempSync(join(tmpdir(), 'twinline-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/twinline.js', 'serve', '--plant', plantFile, '--broker', broker.url, '--port', '0', '--out', recordings], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`twinline serve did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /serving .* at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`twinline serve exited with ${code}:\n${output}`)));
  });
  const publisher = await mqtt.connectAsync(broker.url, { clientId: `e2e-publisher-${process.pid}` });
  return {
    url,
    broker,
    publisher,
    output: () => output,
    stop: async () => {
      await publisher.endAsync();
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      await broker.close();
      rmSync(recordings, { recursive: true, force: true });
    },
  };
}

/** Starts `twinline open FILE` on a free port; resolves with its URL and a stop function. */
export async function openInTwinline(file: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/twinline.js', 'open', file, '--port', '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`twinline open did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`twinline open exited with ${code}:\n${output}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}

/** Average colour of a small square of the page around (x, y), read from a real screenshot. */
export async function colourAt(page: Page, x: number, y: number, radius = 3): Promise<{ r: number; g: number; b: number }> {
  const image = PNG.sync.read(await page.screenshot({ clip: { x: x - radius, y: y - radius, width: radius * 2 + 1, height: radius * 2 + 1 } }));
  let r = 0;
  let g = 0;
  let b = 0;
  const pixels = image.width * image.height;
  for (let offset = 0; offset < image.data.length; offset += 4) {
    r += image.data[offset]!;
    g += image.data[offset + 1]!;
    b += image.data[offset + 2]!;
  }
  return { r: r / pixels, g: g / pixels, b: b / pixels };
}

/** Where a machine's centre is on the page, from the scene's probe. */
export async function machineOnScreen(page: Page, machineId: string): Promise<{ x: number; y: number }> {
  const position = await page.evaluate((id) => {
    const probe = (window as unknown as { twinlineProbe?: { machineScreenPosition(id: string): { x: number; y: number } | null } }).twinlineProbe;
    return probe?.machineScreenPosition(id) ?? null;
  }, machineId);
  if (!position) throw new Error(`machine ${machineId} is not in the scene`);
  const canvas = await page.locator('.viewport canvas').boundingBox();
  return { x: Math.round(canvas!.x + position.x), y: Math.round(canvas!.y + position.y) };
}

/** Whether a colour reads as the alarm red. */
export function isAlarmRed({ r, g, b }: { r: number; g: number; b: number }): boolean {
  return r > 140 && r > g * 1.8 && r > b * 1.8;
}

/** Whether a colour is a grey (no hue), as stale and offline machines are drawn. */
export function isGrey({ r, g, b }: { r: number; g: number; b: number }): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) < 28;
}
