import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { acceptsConnections, freePort } from './loopback-ports.ts';

/**
 * A real mosquitto for tests: configured listener (plain or TLS, with or without passwords and client
 * certificates, with or without persistence), killed as a crash would and restarted on the same port.
 */

/** Where mosquitto is installed, if it is. */
export const mosquittoPath: string | undefined = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin']
  .filter((folder) => folder !== '')
  .map((folder) => join(folder, 'mosquitto'))
  .find((file) => existsSync(file));

/** How the test broker is set up. */
export interface MosquittoOptions {
  /** Require these users; absent: anonymous access. */
  users?: Record<string, string>;
  /** Serve TLS with these PEM files (paths). */
  tls?: { caFile: string; certFile: string; keyFile: string; requireClientCertificate?: boolean };
  /** Keep sessions and queued QoS 1 messages in a file across restarts. */
  persistence?: boolean;
  /** Longest a queue of a disconnected persistent client may grow (mosquitto's default is 1000). */
  maxQueuedMessages?: number;
}

/** A running mosquitto under test. */
export interface MosquittoBroker {
  /** `mqtt://` or `mqtts://` URL of the listener. */
  url: string;
  port: number;
  /** Every line mosquitto logged since it first started (restarts included). */
  log(): string[];
  /** Kills it as a crash would (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the same configuration and persistence file. */
  restart(): Promise<void>;
  /** Kills it and removes its folder. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
  running.delete(child);
}

/** Starts mosquitto on a free loopback port; throws when mosquitto is not installed or does not come up in 10 s. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  if (!mosquittoPath) throw new Error('mosquitto is not installed');
  const folder = mkdtempSync(join(tmpdir(), 'twinline-mosquitto-'));
  const port = await freePort();
  // stderr, not stdout: a pipe would hold stdout's lines in a buffer that a SIGKILL throws away.
  const lines = [`listener ${port} 127.0.0.1`, 'log_dest stderr', 'log_type all', 'connection_messages true', 'log_timestamp false'];
  // Started as root, mosquitto would switch to its own user, who cannot read this private folder.
  lines.push(`user ${userInfo().username}`);
  if (options.users) {
    const passwordFile = join(folder, 'passwords');
    writeFileSync(passwordFile, '');
    for (const [user, password] of Object.entries(options.users)) {
      const result = spawnSync('mosquitto_passwd', ['-b', passwordFile, user, password], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`mosquitto_passwd failed: ${result.stderr}`);
    }
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.tls) {
    lines.push(`cafile ${options.tls.caFile}`, `certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`);
    if (options.tls.requireClientCertificate) lines.push('require_certificate true');
  }
  if (options.persistence) lines.push('persistence true', `persistence_location ${folder}/`, 'autosave_interval 1', 'autosave_on_changes true');
  if (options.maxQueuedMessages !== undefined) lines.push(`max_queued_messages ${options.maxQueuedMessages}`);
  const configFile = join(folder, 'mosquitto.conf');
  writeFileSync(configFile, `${lines.join('\n')}\n`);
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(mosquittoPath!, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(started);
    child = started;
    let partial = '';
    const take = (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      log.push(...parts);
    };
    started.stdout?.on('data', take);
    started.stderr?.on('data', take);
    const deadline = Date.now() + 10_000;
    while (!(await acceptsConnections(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        await killChild(started);
        throw new Error(`mosquitto did not come up on port ${port}:\n${log.slice(-20).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async () => {
    if (child) await killChild(child);
    child = undefined;
  };
  await launch();
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    log: () => [...log],
    kill,
    restart: launch,
    close: async () => {
      await kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
