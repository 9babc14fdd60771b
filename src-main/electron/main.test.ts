import { beforeAll, describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here, so this is the one place a test double stands in:
// a recording fake of the `electron` module, enough to check the shell's security settings.
type Handler = (...args: unknown[]) => unknown;

const recorded = vi.hoisted(() => ({
  windows: [] as Array<{ options: { webPreferences: Record<string, unknown> }; loadedUrl?: string }>,
  appHandlers: new Map<string, Handler>(),
  permissionRequestHandler: undefined as Handler | undefined,
  permissionCheckHandler: undefined as Handler | undefined,
  protocolHandler: undefined as ((request: Request) => Promise<Response>) | undefined,
  privilegedSchemes: [] as unknown[],
  fetched: [] as string[],
  forked: [] as Array<{ modulePath: string; args: string[] }>,
  ipcHandlers: new Map<string, Handler>(),
  reloads: 0,
}));

vi.mock('electron', () => {
  const fakeContents = () => ({ on: vi.fn(), once: vi.fn(), send: vi.fn(), postMessage: vi.fn(), setWindowOpenHandler: vi.fn(), reload: () => recorded.reloads++ });
  class BrowserWindow {
    webContents = fakeContents();
    constructor(options: { webPreferences: Record<string, unknown> }) {
      recorded.windows.push({ options });
    }
    once = vi.fn();
    async loadURL(url: string) {
      recorded.windows.at(-1)!.loadedUrl = url;
    }
    static getAllWindows() {
      return [{ webContents: fakeContents() }];
    }
  }
  return {
    app: {
      isPackaged: true,
      getPath: (name: string) => `/fake/${name}`,
      on: (event: string, handler: Handler) => recorded.appHandlers.set(event, handler),
      whenReady: () => Promise.resolve(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn() },
    ipcMain: { on: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler) },
    Menu: { buildFromTemplate: vi.fn(() => ({})), setApplicationMenu: vi.fn() },
    MessageChannelMain: class {
      port1 = {};
      port2 = {};
    },
    net: {
      fetch: async (url: string) => {
        recorded.fetched.push(url);
        return new Response('file body', { status: 200, headers: { 'Content-Type': 'text/html' } });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => (recorded.protocolHandler = handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => (recorded.permissionRequestHandler = handler),
        setPermissionCheckHandler: (handler: Handler) => (recorded.permissionCheckHandler = handler),
      },
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[]) => {
        recorded.forked.push({ modulePath, args });
        return { on: vi.fn(), postMessage: vi.fn(), kill: vi.fn() };
      },
    },
  };
});

beforeAll(async () => {
  await import('./main.ts');
  await vi.waitFor(() => expect(recorded.windows.length).toBe(1));
});

describe('the desktop shell', () => {
  it('opens windows with context isolation, the sandbox, no Node integration and no webviews', () => {
    const preferences = recorded.windows[0]!.options.webPreferences;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(preferences.preload)).toMatch(/preload\.cjs$/);
  });

  it('loads the renderer from its own scheme, not a dev server or file://', () => {
    expect(recorded.windows[0]!.loadedUrl).toBe('twinline://app/index.html');
    expect(recorded.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'twinline' })]);
  });

  it('runs the host in a utility process, on the demo plant by default', () => {
    expect(recorded.forked[0]!.modulePath).toMatch(/host-process\.mjs$/);
    expect(recorded.forked[0]!.args).toEqual(['--plant', expect.stringMatching(/assets[/\\]demo-plant\.yaml$/), '--out', expect.stringMatching(/userData[/\\]recordings$/)]);
  });

  it('denies every permission request and check', () => {
    const callback = vi.fn();
    recorded.permissionRequestHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheckHandler!({}, 'geolocation')).toBe(false);
  });

  it('blocks navigation away from the app, new windows and webviews in every web contents', () => {
    const handlers = new Map<string, Handler>();
    let openHandler: Handler | undefined;
    const contents = { on: (event: string, handler: Handler) => handlers.set(event, handler), setWindowOpenHandler: (handler: Handler) => (openHandler = handler) };
    recorded.appHandlers.get('web-contents-created')!({}, contents);

    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      handlers.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('twinline://app.evil/index.html')).toBe(true);
    expect(navigate('twinline://app/index.html')).toBe(false);
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('serves app files with the CSP header and refuses paths outside its folders', async () => {
    const response = await recorded.protocolHandler!(new Request('twinline://app/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const fetchedBefore = recorded.fetched.length;
    const escape = await recorded.protocolHandler!(new Request('twinline://app/models/%2e%2e%2f%2e%2e%2fpackage.json'));
    expect(escape.status).toBe(404);
    const foreignHost = await recorded.protocolHandler!(new Request('twinline://other/index.html'));
    expect(foreignHost.status).toBe(404);
    expect(recorded.fetched.length).toBe(fetchedBefore);
  });
});

describe('opening a dropped recording', () => {
  it('switches the host to the file only for the app itself and for real recording files', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const folder = mkdtempSync(join(tmpdir(), 'twinline-drop-'));
    const recording = join(folder, 'incident.twinline');
    writeFileSync(recording, 'x');
    const notes = join(folder, 'notes.txt');
    writeFileSync(notes, 'x');
    const open = recorded.ipcHandlers.get('twinline:open-recording')!;
    const fromApp = { senderFrame: { url: 'twinline://app/index.html' } };
    const forkedBefore = recorded.forked.length;
    open({ senderFrame: { url: 'https://example.com/' } }, recording);
    open(fromApp, notes);
    open(fromApp, join(folder, 'missing.twinline'));
    open(fromApp, { path: recording });
    expect(recorded.forked.length).toBe(forkedBefore);
    const reloadsBefore = recorded.reloads;
    open(fromApp, recording);
    expect(recorded.forked.at(-1)!.args).toEqual(['--open', recording]);
    expect(recorded.reloads).toBeGreaterThan(reloadsBefore);
  });
});
