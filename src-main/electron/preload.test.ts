import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostNotice, TwinlineBridge } from '../common/bridge.ts';

// The preload runs against a fake `electron` (no Electron binary here), but its ports are real
// MessagePorts, so what crosses them is what a window would see.
type IpcHandler = (event: { ports: MessagePort[] }, ...args: unknown[]) => void;
const fake = vi.hoisted(() => ({ ipcHandlers: new Map<string, IpcHandler>(), exposed: undefined as unknown, invoked: [] as unknown[][] }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_name: string, api: unknown) => (fake.exposed = api) },
  ipcRenderer: {
    on: (channel: string, handler: IpcHandler) => fake.ipcHandlers.set(channel, handler),
    send: vi.fn(),
    invoke: async (...args: unknown[]) => {
      fake.invoked.push(args);
      return { ok: false, message: 'no keyring' };
    },
  },
  webUtils: { getPathForFile: () => '' },
}));

let bridge: TwinlineBridge;
const opened: MessagePort[] = [];
beforeAll(async () => {
  await import('./preload.ts');
  bridge = fake.exposed as TwinlineBridge;
});
afterAll(() => {
  for (const port of opened) port.close();
});

/** The shell hands the page a port; returns the host's end. */
function handPort(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  fake.ipcHandlers.get('twinline:port')!({ ports: [port2] });
  return port1;
}

/** The next message the host's end receives. */
function nextAtHost(port: MessagePort): Promise<unknown> {
  return new Promise((resolve) => port.once('message', resolve));
}

describe('the preload bridge', () => {
  it('holds what the page sends until the host is linked, then delivers it in order', async () => {
    bridge.send({ id: 1 });
    bridge.send({ id: 2 });
    const host = handPort();
    expect(await nextAtHost(host)).toEqual({ id: 1 });
    expect(await nextAtHost(host)).toEqual({ id: 2 });
  });

  it('ends the link when the host stops: says why, closes it, drops its listeners, and carries a fresh port to the restarted host', async () => {
    const firstHost = handPort();
    const oldMessages: unknown[] = [];
    bridge.onMessage((message) => oldMessages.push(message));
    const closed = vi.fn();
    bridge.onClose(closed);
    const notices: HostNotice[] = [];
    bridge.onHostNotice((notice) => notices.push(notice));
    firstHost.postMessage({ before: 'crash' });
    await vi.waitFor(() => expect(oldMessages).toEqual([{ before: 'crash' }]));

    const notice: HostNotice = { type: 'hostExited', code: 70, signal: null, restartInMs: 500, crashesInARow: 1 };
    fake.ipcHandlers.get('twinline:host-notice')!({ ports: [] }, notice);
    expect(notices).toEqual([notice]);
    expect(closed).toHaveBeenCalledTimes(1);
    // Sent while no host is linked: held for the restarted one, not lost and not sent to the dead one.
    bridge.send({ id: 'after crash' });

    const secondHost = handPort();
    expect(await nextAtHost(secondHost)).toEqual({ id: 'after crash' });
    const newMessages: unknown[] = [];
    bridge.onMessage((message) => newMessages.push(message));
    secondHost.postMessage({ from: 'restarted host' });
    await vi.waitFor(() => expect(newMessages).toEqual([{ from: 'restarted host' }]));
    expect(oldMessages).toEqual([{ before: 'crash' }]);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('replaces a link when handed a second port, closing the first', async () => {
    const closed = vi.fn();
    bridge.onClose(closed);
    handPort();
    expect(closed).toHaveBeenCalledTimes(1);
    const latest = handPort();
    bridge.send({ to: 'latest' });
    expect(await nextAtHost(latest)).toEqual({ to: 'latest' });
  });

  it('ends the link when the host closes its port (a changed plant), and carries what is sent next to the port the shell hands then', async () => {
    const host = handPort();
    const closed = vi.fn();
    bridge.onClose(closed);
    host.close();
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1));
    bridge.send({ to: 'the changed plant' });
    const next = handPort();
    expect(await nextAtHost(next)).toEqual({ to: 'the changed plant' });
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('asks the shell to keep a broker password with one invoke of two strings, and hands back its answer', async () => {
    expect(await bridge.storeBrokerPassword!('line', 'typed-pass')).toEqual({ ok: false, message: 'no keyring' });
    expect(fake.invoked).toEqual([['twinline:store-broker-password', 'line', 'typed-pass']]);
    // Anything but text never reaches the shell.
    expect(await bridge.storeBrokerPassword!({ id: 'line' } as unknown as string, 'x')).toMatchObject({ ok: false });
    expect(fake.invoked).toHaveLength(1);
  });

  it("hands the page the shell's menu commands it knows, and nothing else", () => {
    const commands: unknown[] = [];
    const stop = bridge.onShellCommand!((command) => commands.push(command));
    const send = (command: unknown) => (fake.ipcHandlers.get('twinline:shell-command') as unknown as (event: unknown, command: unknown) => void)({}, command);
    send('saveIncident');
    send('openDevTools');
    send({ command: 'saveIncident' });
    stop();
    send('saveIncident');
    expect(commands).toEqual(['saveIncident']);
  });

  it('asks the shell to save a copy of a package with one invoke of its name, and nothing but a short name crosses', async () => {
    fake.invoked.length = 0;
    expect(await bridge.saveIncidentCopy!('incidents/incident-a.twinline')).toEqual({ ok: false, message: 'no keyring' });
    expect(fake.invoked).toEqual([['twinline:save-incident-copy', 'incidents/incident-a.twinline']]);
    expect(await bridge.saveIncidentCopy!({ name: 'x' } as unknown as string)).toMatchObject({ ok: false });
    expect(await bridge.saveIncidentCopy!('x'.repeat(201))).toMatchObject({ ok: false });
    expect(fake.invoked).toHaveLength(1);
  });
});
