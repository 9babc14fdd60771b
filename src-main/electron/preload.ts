// The preload: the renderer's only way out. It exposes one small typed API and never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { bridgeGlobalName, shellCommands, type HostNotice, type SaveIncidentCopyResult, type ShellCommand, type StoreBrokerPasswordResult, type TwinlineBridge } from '../common/bridge.ts';
import { bridgeChannels, recordingFileExtension } from './host-process-messages.ts';

// Listeners of the current link to the host; they end with it, so a view that reconnects starts clean.
const messageListeners = new Set<(message: unknown) => void>();
const closeListeners = new Set<() => void>();
const noticeListeners = new Set<(notice: HostNotice) => void>();
const commandListeners = new Set<(command: ShellCommand) => void>();
const queued: unknown[] = [];
let port: MessagePort | undefined;

/** Ends the link to a host that went away: its port, what was waiting to be sent, and its listeners. */
function closeLink(): void {
  port?.close();
  port = undefined;
  queued.length = 0;
  const listeners = [...closeListeners];
  messageListeners.clear();
  closeListeners.clear();
  for (const listener of listeners) callSafely(listener, undefined, 'a close listener');
}

/** Calls a page's listener; one that throws must not stop the others or the link. */
function callSafely<Argument>(listener: (argument: Argument) => void, argument: Argument, what: string): void {
  try {
    listener(argument);
  } catch (error) {
    console.error(`Twinline preload: ${what} failed`, error);
  }
}

ipcRenderer.on(bridgeChannels.port, (event) => {
  const received = event.ports[0];
  if (!received) return;
  // A second port replaces the first: the shell hands a fresh one to a restarted host.
  if (port) closeLink();
  port = received;
  port.onmessage = (message) => {
    for (const listener of [...messageListeners]) callSafely(listener, message.data, 'a message listener');
  };
  // The host closes a window's port when the plant changes under it (or its process ends): the link ends and the page links again, as a WebSocket closed with 1012 does in a browser.
  received.addEventListener('close', () => {
    if (port === received) closeLink();
  });
  port.start();
  for (const message of queued.splice(0)) port.postMessage(message);
});

ipcRenderer.on(bridgeChannels.hostNotice, (_, notice: HostNotice) => {
  // Told first, so the page can say why before it shows the link as lost.
  for (const listener of [...noticeListeners]) callSafely(listener, notice, 'a host notice listener');
  closeLink();
});

ipcRenderer.on(bridgeChannels.shellCommand, (_, command: unknown) => {
  // Only the commands the bridge names reach the page.
  if (!shellCommands.includes(command as ShellCommand)) return;
  for (const listener of [...commandListeners]) callSafely(listener, command as ShellCommand, 'a menu command listener');
});

const bridge: TwinlineBridge = {
  send(message) {
    if (port) port.postMessage(message);
    else queued.push(message);
  },
  onMessage(listener) {
    messageListeners.add(listener);
    return () => messageListeners.delete(listener);
  },
  onClose(listener) {
    closeListeners.add(listener);
    return () => closeListeners.delete(listener);
  },
  onHostNotice(listener) {
    noticeListeners.add(listener);
    return () => noticeListeners.delete(listener);
  },
  openRecording(file) {
    // Only a real dropped file has a path; the main process checks it again before opening.
    if (!(file instanceof File)) return;
    const path = webUtils.getPathForFile(file);
    if (path.endsWith(recordingFileExtension)) ipcRenderer.send(bridgeChannels.openRecording, path);
  },
  async storeBrokerPassword(brokerId, password) {
    // Only two strings cross; the main process validates them again and answers in words for the user.
    if (typeof brokerId !== 'string' || typeof password !== 'string') return { ok: false, message: 'The broker id and the password must be text.' };
    return (await ipcRenderer.invoke(bridgeChannels.storeBrokerPassword, brokerId, password)) as StoreBrokerPasswordResult;
  },
  onShellCommand(listener) {
    commandListeners.add(listener);
    return () => commandListeners.delete(listener);
  },
  async saveIncidentCopy(name) {
    // Only the package's name crosses (never a path); the main process checks it names a package the host made.
    if (typeof name !== 'string' || name.length > 200) return { ok: false, message: 'That is not the name of a saved incident package.' };
    return (await ipcRenderer.invoke(bridgeChannels.saveIncidentCopy, name)) as SaveIncidentCopyResult;
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
