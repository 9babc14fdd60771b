/** The one API the Electron preload exposes to the renderer, as `window.twinlineBridge`. */
export interface TwinlineBridge {
  /** Sends a contract message to the host. */
  send(message: unknown): void;
  /** Listens for contract messages from the host; returns a function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Listens for the host going away; returns a function that stops listening. */
  onClose(listener: () => void): () => void;
  /** Asks the desktop shell to replay a recording dropped on the window (a DOM `File`). */
  openRecording?(file: unknown): void;
}

/** Name under which the preload exposes the bridge. */
export const bridgeGlobalName = 'twinlineBridge';
