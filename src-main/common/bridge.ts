/** What the desktop shell tells a window about its host, beside the contract. */
export type HostNotice =
  /** The host stopped unexpectedly; the shell starts it again after `restartInMs` and then hands the window a new link. */
  | { type: 'hostExited'; code: number | null; signal: string | null; restartInMs: number; crashesInARow: number }
  /** The host cannot start (or keeps stopping) and is not started again until the user switches what is watched. */
  | { type: 'hostFailed'; message: string };

/** The one API the Electron preload exposes to the renderer, as `window.twinlineBridge`. */
export interface TwinlineBridge {
  /** Sends a contract message to the host (held until a link to the host exists). */
  send(message: unknown): void;
  /** Listens for contract messages from the host over the current link; returns a function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Listens for the current link to the host going away; listeners end with the link. Returns a function that stops listening. */
  onClose(listener: () => void): () => void;
  /** Listens for what the shell says about the host (it stopped, it is restarting, it failed); returns a function that stops listening. */
  onHostNotice(listener: (notice: HostNotice) => void): () => void;
  /** Asks the desktop shell to replay a recording dropped on the window (a DOM `File`). */
  openRecording?(file: unknown): void;
  /**
   * Desktop only: keeps a broker's password in the OS keychain for the plant being watched; the
   * host then restarts with it. Answers whether it was kept, or why not in words for the user.
   */
  storeBrokerPassword?(brokerId: string, password: string): Promise<StoreBrokerPasswordResult>;
  /**
   * Desktop only: asks where to keep a copy of an incident package the host saved (its name as
   * `saveIncident` answered it) and copies it there. Answers where, that the user cancelled, or why not.
   */
  saveIncidentCopy?(name: string): Promise<SaveIncidentCopyResult>;
  /** Desktop only: listens for the shell's menu commands meant for this window; returns a function that stops listening. */
  onShellCommand?(listener: (command: ShellCommand) => void): () => void;
}

/** The menu commands the desktop shell hands the focused window. */
export const shellCommands = ['saveIncident'] as const;
/** One of `shellCommands`. */
export type ShellCommand = (typeof shellCommands)[number];

/** What the shell answers when asked to save a copy of an incident package. */
export type SaveIncidentCopyResult = { ok: true; file: string } | { ok: false; cancelled: true } | { ok: false; cancelled?: false; message: string };

/** What the shell answers when asked to keep a broker password. */
export type StoreBrokerPasswordResult = { ok: true } | { ok: false; message: string };

/** Name under which the preload exposes the bridge. */
export const bridgeGlobalName = 'twinlineBridge';
