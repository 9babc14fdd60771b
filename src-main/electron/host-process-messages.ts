import type { YieldLevel } from '../node/thread-priority.ts';

/** Messages between Electron's main process and the host utility process (not the view contract). */
export const hostProcessMessages = {
  connectView: 'connect-view',
  brokerPasswords: 'broker-passwords',
  ready: 'ready',
  failed: 'failed',
  plantApplied: 'plant-applied',
  modelFilesOffered: 'model-files-offered',
  startReplayProcess: 'start-replay-process',
  replayPort: 'replay-port',
} as const;

/**
 * Main → host, and main → the replay process: the two ends of one port between them (a utility process
 * cannot start another, so the host asks the shell with `startReplayProcess`).
 */
export interface ReplayPortMessage {
  type: typeof hostProcessMessages.replayPort;
  /** The host's number for the request this answers. */
  request: number;
  /** The replay process's id, for the host to watch whether other programs starve it. */
  pid?: number;
}

/** Main → host: here is a port for a new window. */
export interface HostProcessRequest {
  type: typeof hostProcessMessages.connectView;
}

/**
 * Main → host, the first message after the fork: the broker passwords kept in the OS keychain for
 * the plant, by broker id. They go this way only — never in arguments, the environment or a log.
 */
export interface BrokerPasswordsMessage {
  type: typeof hostProcessMessages.brokerPasswords;
  passwords: Record<string, string>;
}

/**
 * Host → main: started (with where its models are) or failed (with why); a saved plant file now runs
 * (plantApplied: serve its model files, refuse the old plant's, and link every window again, as the
 * host closed their ports); the editor offered a view model files not in the plant yet (serve them too);
 * or a view wants to replay beside live (start a replay process, replacing any before it, linked to the host).
 */
export type HostProcessReport =
  | { type: typeof hostProcessMessages.ready; modelsDirectory: string; modelFiles: string[]; plantName: string }
  | { type: typeof hostProcessMessages.plantApplied; modelsDirectory: string; modelFiles: string[]; plantName: string }
  | { type: typeof hostProcessMessages.modelFilesOffered; modelFiles: string[] }
  | { type: typeof hostProcessMessages.startReplayProcess; request: number; level: YieldLevel }
  | { type: typeof hostProcessMessages.failed; message: string };

/** IPC channels between main and the preload. */
export const bridgeChannels = {
  /** A port to the host: the first one, or a fresh one that replaces the link to a host that went away. */
  port: 'twinline:port',
  /** A `HostNotice`: the host stopped (and restarts) or failed. */
  hostNotice: 'twinline:host-notice',
  openRecording: 'twinline:open-recording',
  /** A broker password to keep in the OS keychain (invoke: answers a StoreBrokerPasswordResult). */
  storeBrokerPassword: 'twinline:store-broker-password',
  /** An incident package's name (from `saveIncident`) to copy where the user chooses (invoke: answers a SaveIncidentCopyResult). */
  saveIncidentCopy: 'twinline:save-incident-copy',
  /** A `ShellCommand` from the menu for the focused window (File → Save Incident…). */
  shellCommand: 'twinline:shell-command',
} as const;

/** Extension of recording files, the only files a view may ask the shell to open. */
export const recordingFileExtension = '.twinline';
