import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { PNG } from 'pngjs';
import type { Locator, Page } from '@playwright/test';
import { expect } from './expect.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../src-main/node/embedded-broker.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** How long a command may take to print its URL: Node strips the TypeScript of every module first, slow on a loaded machine. */
const startTimeoutMs = 90_000;

/** A real broker, `twinline serve` on a test plant, and a publisher: what an end-to-end test drives. */
export interface TwinlineUnderTest {
  url: string;
  broker: EmbeddedBroker;
  publisher: MqttClient;
  output: () => string;
  stop(): Promise<void>;
}

/** A running `twinline` command: the URL it printed, everything it wrote, and a stop that waits for its exit. */
interface LaunchedCommand {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Runs `twinline ARGS` and resolves once it has printed a whole line `… at URL`; rejects with its
 * output if it exits first or prints nothing for `startTimeoutMs` (then it is killed, not left behind).
 */
async function launch(args: string[]): Promise<LaunchedCommand> {
  const child: ChildProcess = spawn(process.execPath, ['bin/twinline.js', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    printed += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    stopping = true;
    const running = child.exitCode === null && child.signalCode === null;
    if (running) child.kill('SIGTERM');
    await exited;
    // It exits with 1 when a part of it did not finish stopping in time: say so, with what it said.
    if (running && child.exitCode !== 0) console.error(`twinline ${args[0]} (process ${child.pid}) did not stop cleanly (exit code ${child.exitCode}); its output:\n${output.slice(-20_000)}`);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`twinline ${args[0]} printed no URL in ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
      // Only a whole line: a pipe may hand the URL over in two pieces.
      child.stdout!.on('data', () => {
        const match = / at (http:\/\/\S+)\r?\n/.exec(printed);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`twinline ${args[0]} exited with ${signal ?? code}:\n${output}`));
      });
    });
    // A host that ends by itself mid-suite fails the tests after it with a bare "connection refused":
    // say at once that it ended, how, and what it printed last.
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`twinline ${args.join(' ')} (process ${child.pid}) exited by itself with ${signal ?? code}; its output:\n${output.slice(-20_000)}`);
    });
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts an Aedes broker and `twinline serve --plant PLANT --broker …` on free ports (plus any further arguments, e.g. `--simulate`). */
export async function startTwinline(plantFile: string, extraArguments: string[] = []): Promise<TwinlineUnderTest> {
  const broker = await startEmbeddedBroker();
  const recordings = mkdtempSync(join(tmpdir(), 'twinline-e2e-'));
  const cleanUp = async () => {
    await broker.close();
    rmSync(recordings, { recursive: true, force: true });
  };
  let serve: LaunchedCommand;
  try {
    serve = await launch(['serve', '--plant', plantFile, '--broker', broker.url, '--port', '0', '--out', recordings, ...extraArguments]);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const publisher = await mqtt.connectAsync(broker.url, { clientId: `e2e-publisher-${process.pid}` });
  return {
    url: serve.url,
    broker,
    publisher,
    output: serve.output,
    stop: async () => {
      await publisher.endAsync();
      await serve.stop();
      await cleanUp();
    },
  };
}

/** Starts `twinline serve` with no plant: the demo, with its two embedded brokers and simulator, recording to a folder removed on stop (plus any further arguments). */
export async function serveDemo(extraArguments: string[] = []): Promise<{ url: string; output: () => string; stop(): Promise<void> }> {
  const recordings = mkdtempSync(join(tmpdir(), 'twinline-e2e-demo-'));
  try {
    const serve = await launch(['serve', '--port', '0', '--out', recordings, ...extraArguments]);
    return {
      ...serve,
      stop: async () => {
        await serve.stop();
        rmSync(recordings, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(recordings, { recursive: true, force: true });
    throw error;
  }
}

/** Starts `twinline open FILE` on a free port; resolves with its URL and a stop function. */
export async function openInTwinline(file: string): Promise<{ url: string; output: () => string; stop(): Promise<void> }> {
  return launch(['open', file, '--port', '0']);
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

interface ProbeWindow {
  twinlineProbe?: { loadedMachines(): number; machineScreenPosition(id: string): { x: number; y: number } | null };
}

/** How long a fresh page may take to link and draw its first scene (scripts, models, shaders on SwiftShader): over 30 s on a machine loaded three times over. */
export const firstSceneTimeoutMs = 120_000;

/**
 * Waits until the scene has loaded these machines and framed them: each one's centre lies inside the
 * canvas and stays put across several rendered frames. Until the camera fit has run, a machine's place
 * on screen is not where it will be drawn; on a loaded machine that can take a while.
 */
export async function waitForFramedScene(page: Page, machineIds: string[]): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async (ids) => {
          const probe = (window as unknown as ProbeWindow).twinlineProbe;
          if (!probe) return 'no scene probe yet';
          if (probe.loadedMachines() < ids.length) return `${probe.loadedMachines()} of ${ids.length} machines loaded`;
          const canvas = document.querySelector('.viewport canvas')?.getBoundingClientRect();
          if (!canvas) return 'no canvas yet';
          const places = () => ids.map((id) => probe.machineScreenPosition(id));
          const before = places();
          for (let frame = 0; frame < 3; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
          const after = places();
          for (const [index, id] of ids.entries()) {
            const [first, second] = [before[index], after[index]];
            if (!first || !second) return `${id} is not in the scene`;
            if (second.x < 0 || second.y < 0 || second.x > canvas.width || second.y > canvas.height) return `${id} is outside the view`;
            if (Math.abs(first.x - second.x) > 0.5 || Math.abs(first.y - second.y) > 0.5) return `${id} is still moving on screen`;
          }
          return 'framed';
        }, machineIds),
      { message: 'the scene loads its machines and frames them', timeout: firstSceneTimeoutMs },
    )
    .toBe('framed');
}

/**
 * Where a machine's centre is on the page, from the scene's probe (after `waitForFramedScene`). The
 * canvas's place is read in the same step: a status bar whose text changes (a broker reconnecting) can
 * wrap onto a second line and move the canvas.
 */
export async function machineOnScreen(page: Page, machineId: string): Promise<{ x: number; y: number }> {
  const position = await page.evaluate((id) => {
    const onCanvas = (window as unknown as ProbeWindow).twinlineProbe?.machineScreenPosition(id) ?? null;
    const canvas = document.querySelector('.viewport canvas')?.getBoundingClientRect();
    return onCanvas && canvas ? { x: canvas.x + onCanvas.x, y: canvas.y + onCanvas.y } : null;
  }, machineId);
  if (!position) throw new Error(`machine ${machineId} is not in the scene`);
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/**
 * Clicks a machine in the scene until the inspector opens, as a user clicks again when the scene moved
 * under the pointer (the status bar wrapping between reading the machine's place and the click); a
 * second click on the machine selects it again. Returns where the click that opened it landed.
 */
export async function clickMachine(page: Page, machineId: string, inspector: Locator): Promise<{ x: number; y: number }> {
  let clicked = { x: 0, y: 0 };
  await expect(async () => {
    clicked = await machineOnScreen(page, machineId);
    await page.mouse.click(clicked.x, clicked.y);
    await expect(inspector).toBeVisible({ timeout: 10_000 });
  }, `a click on ${machineId} opens ${String(inspector)}`).toPass({ timeout: 90_000 });
  return clicked;
}

/** Whether a colour reads as the alarm red. */
export function isAlarmRed({ r, g, b }: { r: number; g: number; b: number }): boolean {
  return r > 140 && r > g * 1.8 && r > b * 1.8;
}

/** Whether a colour is a grey (no hue), as stale and offline machines are drawn. */
export function isGrey({ r, g, b }: { r: number; g: number; b: number }): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) < 28;
}
