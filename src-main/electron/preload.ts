// The preload: the renderer's only way out. It exposes one small typed API and never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { bridgeGlobalName, type TwinlineBridge } from '../common/bridge.ts';
import { bridgeChannels, recordingFileExtension } from './host-process-messages.ts';

const messageListeners = new Set<(message: unknown) => void>();
const closeListeners = new Set<() => void>();
const queued: unknown[] = [];
let port: MessagePort | undefined;

ipcRenderer.on(bridgeChannels.port, (event) => {
  const received = event.ports[0];
  if (!received || port) return;
  port = received;
  port.onmessage = (message) => messageListeners.forEach((listener) => listener(message.data));
  port.start();
  for (const message of queued.splice(0)) port.postMessage(message);
});
ipcRenderer.on(bridgeChannels.hostExited, () => closeListeners.forEach((listener) => listener()));

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
  openRecording(file) {
    // Only a real dropped file has a path; the main process checks it again before opening.
    if (!(file instanceof File)) return;
    const path = webUtils.getPathForFile(file);
    if (path.endsWith(recordingFileExtension)) ipcRenderer.send(bridgeChannels.openRecording, path);
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
