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
}));

vi.mock('electron', () => {
  const fakeContents = () => ({ on: vi.fn(), once: vi.fn(), send: vi.fn(), postMessage: vi.fn(), setWindowOpenHandler: vi.fn() });
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
      return [];
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
    dialog: { showErrorBox: vi.fn() },
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
