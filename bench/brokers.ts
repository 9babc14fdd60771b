import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptsConnections, freePort } from '../src-main/node/testing/loopback-ports.ts';

/** Which broker to run; `auto` prefers mosquitto. */
export type BrokerPreference = 'auto' | 'mosquitto' | 'aedes';

/** A broker process the benchmark started. */
export interface RunningBroker {
  label: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const aedesScript = join(import.meta.dirname, 'aedes-process.ts');
const projectRoot = join(import.meta.dirname, '..');
const mosquittoPath = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((path) => existsSync(path));

/** Children still running, killed on any exit so that a failed or interrupted run leaves nothing behind. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** Keeps `child` among the children killed on any exit of the benchmark, until it exits itself. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Starts a Node script as a child with IPC and tracks it until it exits. */
export function forkTracked(script: string, argv: string[], execArgv: string[] = []): ChildProcess {
  // Only the flags given: a --cpu-prof on the benchmark must not profile its helpers too.
  return track(fork(script, argv, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** Stops a child: SIGTERM, then SIGKILL after 2 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The broker the benchmark will use, as a label for reports. */
export function brokerLabel(preference: BrokerPreference = 'auto'): string {
  if (preference !== 'aedes' && mosquittoPath) {
    const help = spawnSync(mosquittoPath, ['-h'], { encoding: 'utf8' });
    const version = /mosquitto version (\S+)/.exec(`${help.stdout}${help.stderr}`)?.[1] ?? '?';
    return `mosquitto ${version} (own process)`;
  }
  if (preference === 'mosquitto') throw new Error('mosquitto is not installed');
  let version = '?';
  try {
    version = (JSON.parse(readFileSync(join(projectRoot, 'node_modules/aedes/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // The label is informative only.
  }
  return `Aedes ${version} (child process)`;
}

/** Starts mosquitto on a free loopback port (never 1883), or Aedes in a child process without it. */
export async function startBroker(preference: BrokerPreference): Promise<RunningBroker> {
  const label = brokerLabel(preference);
  if (label.startsWith('mosquitto')) {
    const port = await freePort();
    // Without a config file mosquitto 2 listens on loopback only, with its default limits
    // (among them: QoS 0 messages to a subscriber are dropped once 1000 are queued for it).
    const child = spawn(mosquittoPath!, ['-p', String(port)], { stdio: 'ignore' });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const deadline = Date.now() + 5000;
    while (!(await acceptsConnections(port))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`mosquitto did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { label, url: `mqtt://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
  }
  const child = forkTracked(aedesScript, []);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Aedes did not start within 10 s')), 10_000);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', () => reject(new Error('Aedes exited before listening')));
  });
  return { label, url: `mqtt://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
}
