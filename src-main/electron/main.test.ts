import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, dialog } from 'electron';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here, so this is the one place a test double stands in:
// a recording fake of the `electron` module, enough to check the shell's security settings and
// how it supervises the host's utility process.
type Handler = (...args: unknown[]) => unknown;

/** A fake utility process: handlers by event, what it was sent, and kill() that exits as the real one does. */
interface FakeChild {
  handlers: Map<string, Handler[]>;
  on(event: string, handler: Handler): void;
  once(event: string, handler: Handler): void;
  emit(event: string, ...args: unknown[]): void;
  postMessage: ReturnType<typeof vi.fn>;
  kill: ReturnType<typeof vi.fn>;
  /** Undefined until it has spawned, as Electron's is. */
  pid: number | undefined;
}

/** A fake page's contents: what it was sent, and its own event handlers. */
interface FakeContents {
  handlers: Map<string, Handler>;
  send: ReturnType<typeof vi.fn>;
  postMessage: ReturnType<typeof vi.fn>;
}

const recorded = vi.hoisted(() => ({
  windows: [] as Array<{ options: { webPreferences: Record<string, unknown> }; loadedUrl?: string; webContents: FakeContents }>,
  appHandlers: new Map<string, Handler>(),
  permissionRequestHandler: undefined as Handler | undefined,
  permissionCheckHandler: undefined as Handler | undefined,
  protocolHandler: undefined as ((request: Request) => Promise<Response>) | undefined,
  privilegedSchemes: [] as unknown[],
  fetched: [] as string[],
  forked: [] as Array<{ modulePath: string; args: string[]; child: FakeChild }>,
  ports: 0,
  ipcHandlers: new Map<string, Handler>(),
  invokeHandlers: new Map<string, Handler>(),
  menuTemplate: [] as unknown[],
  reloads: 0,
  /** What the fake keychain offers: encryption at all, and which backend (Linux). */
  keychain: { available: true, backend: 'gnome_libsecret' },
  /** Every folder the tests made, the fake app's own among them: removed when the file's tests end. */
  temporaryFolders: [] as string[],
}));

/** A new empty folder in the temp directory that is removed when this file's tests end. */
function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  recorded.temporaryFolders.push(folder);
  return folder;
}

afterAll(() => {
  for (const folder of recorded.temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

vi.mock('electron', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const appFolder = mkdtempSync(join(tmpdir(), 'twinline-shell-'));
  recorded.temporaryFolders.push(appFolder);
  const fakeContents = () => {
    const handlers = new Map<string, Handler>();
    return {
      handlers,
      on: (event: string, handler: Handler) => handlers.set(event, handler),
      once: vi.fn(),
      send: vi.fn(),
      postMessage: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      reload: () => recorded.reloads++,
      isLoading: () => false,
      isDestroyed: () => false,
    };
  };
  /** A fake utility process; `spawned`: whether it has its pid already, or gets it when the test emits 'spawn'. */
  const fakeChild = (spawned: boolean): FakeChild => {
    const handlers = new Map<string, Handler[]>();
    const pid = 1000 + recorded.forked.length;
    const child: FakeChild = {
      handlers,
      on: (event, handler) => handlers.set(event, [...(handlers.get(event) ?? []), handler]),
      once: (event, handler) => {
        const once: Handler = (...args) => {
          handlers.set(event, (handlers.get(event) ?? []).filter((listed) => listed !== once));
          return handler(...args);
        };
        child.on(event, once);
      },
      emit: (event, ...args) => {
        if (event === 'spawn') child.pid = pid;
        for (const handler of handlers.get(event) ?? []) handler(...args);
      },
      postMessage: vi.fn(),
      // Like Electron's, kill() ends the process and 'exit' follows a moment later.
      kill: vi.fn(() => queueMicrotask(() => child.emit('exit', 0))),
      pid: spawned ? pid : undefined,
    };
    return child;
  };
  class BrowserWindow {
    webContents = fakeContents();
    constructor(options: { webPreferences: Record<string, unknown> }) {
      recorded.windows.push({ options, webContents: this.webContents });
    }
    once = vi.fn();
    async loadURL(url: string) {
      recorded.windows.at(-1)!.loadedUrl = url;
    }
    static getAllWindows() {
      return recorded.windows;
    }
    static fromWebContents() {
      return recorded.windows[0];
    }
    static getFocusedWindow() {
      return recorded.windows[0];
    }
  }
  return {
    app: {
      isPackaged: true,
      getPath: (name: string) => join(appFolder, name),
      on: (event: string, handler: Handler) => recorded.appHandlers.set(event, handler),
      whenReady: () => Promise.resolve(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    ipcMain: {
      on: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler),
      handle: (channel: string, handler: Handler) => recorded.invokeHandlers.set(channel, handler),
    },
    // A stand-in keychain: reversible, but never the plain text (every byte flipped behind a marker).
    safeStorage: {
      isEncryptionAvailable: () => recorded.keychain.available,
      getSelectedStorageBackend: () => recorded.keychain.backend,
      encryptString: (text: string) => Buffer.concat([Buffer.from('v10'), Buffer.from(text, 'utf8').map((byte) => byte ^ 0xa5)]),
      decryptString: (encrypted: Buffer) => Buffer.from(encrypted.subarray(3).map((byte) => byte ^ 0xa5)).toString('utf8'),
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => {
        recorded.menuTemplate = template;
        return {};
      },
      setApplicationMenu: vi.fn(),
    },
    MessageChannelMain: class {
      readonly channel = ++recorded.ports;
      port1 = { channel: this.channel, end: 1 };
      port2 = { channel: this.channel, end: 2 };
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
        // The replay process gets its pid only once it has spawned (the test says when), as Electron's do.
        const child = fakeChild(!modulePath.includes('replay-process'));
        recorded.forked.push({ modulePath, args, child });
        return child;
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
    expect(recorded.forked[0]!.args).toEqual([
      '--plant',
      expect.stringMatching(/assets[/\\]demo-plant\.yaml$/),
      // The demo is the app's own: no edit mode, and its tours kept with the recordings.
      '--tours',
      expect.stringMatching(/userData[/\\]recordings[/\\]demo-plant\.tours\.yaml$/),
      '--out',
      expect.stringMatching(/userData[/\\]recordings$/),
      '--log',
      expect.stringMatching(/logs[/\\]host\.log$/),
    ]);
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

  it('serves only the model files the plant names, with the CSP header, and refuses paths outside its folders', async () => {
    const models = temporaryFolder('twinline-shell-models-');
    writeFileSync(join(models, 'press.glb'), 'glb');
    writeFileSync(join(models, 'not-in-the-plant.glb'), 'glb');
    recorded.forked.at(-1)!.child.emit('message', { type: 'ready', modelsDirectory: models, modelFiles: ['press.glb'], plantName: 'Demo' });
    const response = await recorded.protocolHandler!(new Request('twinline://app/models/press.glb'));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const fetchedBefore = recorded.fetched.length;
    const unnamed = await recorded.protocolHandler!(new Request('twinline://app/models/not-in-the-plant.glb'));
    expect(unnamed.status).toBe(404);
    const escape = await recorded.protocolHandler!(new Request('twinline://app/models/%2e%2e%2f%2e%2e%2fpackage.json'));
    expect(escape.status).toBe(404);
    const badEncoding = await recorded.protocolHandler!(new Request('twinline://app/%E0%A4%A'));
    expect(badEncoding.status).toBe(400);
    const foreignHost = await recorded.protocolHandler!(new Request('twinline://other/index.html'));
    expect(foreignHost.status).toBe(404);
    expect(recorded.fetched.length).toBe(fetchedBefore);
  });

  it("serves a .gltf model's .bin beside it, and no file it does not refer to", async () => {
    const models = temporaryFolder('twinline-shell-gltf-');
    writeFileSync(join(models, 'robot.gltf'), JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'robot.bin', byteLength: 3 }, { uri: '../package.json', byteLength: 3 }] }));
    writeFileSync(join(models, 'robot.bin'), 'bin');
    writeFileSync(join(models, 'spare.bin'), 'bin');
    recorded.forked.at(-1)!.child.emit('message', { type: 'ready', modelsDirectory: models, modelFiles: ['robot.gltf'], plantName: 'Demo' });
    expect((await recorded.protocolHandler!(new Request('twinline://app/models/robot.bin'))).status).toBe(200);
    expect((await recorded.protocolHandler!(new Request('twinline://app/models/spare.bin'))).status).toBe(404);
    expect((await recorded.protocolHandler!(new Request('twinline://app/models/%2e%2e%2fpackage.json'))).status).toBe(404);
  });

});

describe('opening a dropped recording', () => {
  it('switches the host to the file only for the app itself and for real recording files', async () => {
    const folder = temporaryFolder('twinline-drop-');
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
    expect(recorded.forked.at(-1)!.args).toEqual(['--open', recording, '--log', expect.stringMatching(/logs[/\\]host\.log$/)]);
    expect(recorded.reloads).toBeGreaterThan(reloadsBefore);
  });
});

describe('supervising the host', () => {
  const page = () => recorded.windows[0]!.webContents;
  const portsSent = () => page().postMessage.mock.calls.filter(([channel]) => channel === 'twinline:port') as Array<[string, null, Array<{ channel: number; end: number }>]>;
  const notices = () => page().send.mock.calls.filter(([channel]) => channel === 'twinline:host-notice').map(([, notice]) => notice as Record<string, unknown>);
  const reportReady = (child: FakeChild) => child.emit('message', { type: 'ready', modelsDirectory: join(tmpdir(), 'models'), modelFiles: [], plantName: 'Demo' });
  const openFromApp = (path: string) => recorded.ipcHandlers.get('twinline:open-recording')!({ senderFrame: { url: 'twinline://app/index.html' } }, path);
  const recording = join(temporaryFolder('twinline-switch-'), 'shift.twinline');
  writeFileSync(recording, 'x');
  afterEach(() => {
    vi.useRealTimers();
  });

  it('links every loaded page to the host once it is ready, and a page that loads later too', () => {
    const host = recorded.forked.at(-1)!.child;
    const before = portsSent().length;
    reportReady(host);
    expect(portsSent()).toHaveLength(before + 1);
    const pagePort = portsSent().at(-1)![2][0]!;
    expect(host.postMessage).toHaveBeenLastCalledWith({ type: 'connect-view' }, [{ channel: pagePort.channel, end: 1 }]);
    page().handlers.get('did-finish-load')!();
    expect(portsSent()).toHaveLength(before + 2);
  });

  it('restarts a host that stops unexpectedly after a growing backoff, tells the pages, and links them to the new host', async () => {
    vi.useFakeTimers();
    const crashed = recorded.forked.at(-1)!;
    const forkedBefore = recorded.forked.length;
    crashed.child.emit('exit', 3);
    const notice = notices().at(-1)!;
    expect(notice).toMatchObject({ type: 'hostExited', code: 3, signal: null, crashesInARow: 1 });
    const delay = notice.restartInMs as number;
    expect(delay).toBeGreaterThanOrEqual(375);
    expect(delay).toBeLessThanOrEqual(625);
    await vi.advanceTimersByTimeAsync(delay - 1);
    expect(recorded.forked).toHaveLength(forkedBefore);
    await vi.advanceTimersByTimeAsync(1);
    expect(recorded.forked).toHaveLength(forkedBefore + 1);
    const restarted = recorded.forked.at(-1)!;
    expect(restarted.args).toEqual(crashed.args);

    const portsBefore = portsSent().length;
    reportReady(restarted.child);
    expect(portsSent()).toHaveLength(portsBefore + 1);
    const pagePort = portsSent().at(-1)![2][0]!;
    expect(restarted.child.postMessage).toHaveBeenCalledWith({ type: 'connect-view' }, [{ channel: pagePort.channel, end: 1 }]);

    // Crashing again soon after waits longer, and the restart comes back the same way.
    restarted.child.emit('exit', 70);
    const second = notices().at(-1)!;
    expect(second).toMatchObject({ type: 'hostExited', code: 70, crashesInARow: 2 });
    expect(second.restartInMs as number).toBeGreaterThanOrEqual(750);
    await vi.advanceTimersByTimeAsync(second.restartInMs as number);
    expect(recorded.forked).toHaveLength(forkedBefore + 2);
    reportReady(recorded.forked.at(-1)!.child);
    expect(portsSent()).toHaveLength(portsBefore + 2);

    const shellLog = readFileSync(join(app.getPath('logs'), 'shell.log'), 'utf8');
    expect(shellLog).toContain('stopped unexpectedly: exit code 3');
    expect(shellLog).toMatch(/restarting the host in \d+ ms \(2 unexpected stops in a row\)/);
  });

  it('does not take a deliberate switch for a crash: the old host is killed, nothing restarts it', async () => {
    vi.useFakeTimers();
    const previous = recorded.forked.at(-1)!;
    const noticesBefore = notices().length;
    openFromApp(recording);
    expect(previous.child.kill).toHaveBeenCalled();
    const forkedAfterSwitch = recorded.forked.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(recorded.forked).toHaveLength(forkedAfterSwitch);
    expect(notices()).toHaveLength(noticesBefore);
  });

  it('does not restart a host that cannot start, says why, and starts one again when the user switches', async () => {
    vi.useFakeTimers();
    const failing = recorded.forked.at(-1)!;
    const forkedBefore = recorded.forked.length;
    failing.child.emit('message', { type: 'failed', message: 'The plant file has 3 problems' });
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Twinline cannot open this', 'The plant file has 3 problems');
    expect(notices().at(-1)).toEqual({ type: 'hostFailed', message: 'The plant file has 3 problems' });
    failing.child.emit('exit', 1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(recorded.forked).toHaveLength(forkedBefore);
    openFromApp(recording);
    expect(recorded.forked).toHaveLength(forkedBefore + 1);
  });
});

describe('keeping a broker password in the keychain', () => {
  const password = 'Keychain-s3cret-61d0';
  const fromApp = { senderFrame: { url: 'twinline://app/index.html' } };
  const store = (event: unknown, brokerId: unknown, secret: unknown) => recorded.invokeHandlers.get('twinline:store-broker-password')!(event, brokerId, secret) as { ok: boolean; message?: string };
  const storeFile = () => join(app.getPath('userData'), 'broker-passwords.json');
  const watchLive = () => {
    const template = recorded.menuTemplate as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>;
    template.find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'Watch Live')!.click!();
  };

  it('refuses a foreign page, bad input, and a replay, storing nothing', () => {
    const forkedBefore = recorded.forked.length;
    expect(store({ senderFrame: { url: 'https://example.com/' } }, 'line', password)).toEqual({ ok: false, message: "Only Twinline's own window may store a password." });
    expect(store(fromApp, '../line', password)).toEqual({ ok: false, message: 'The broker id is not one a plant file can have.' });
    expect(store(fromApp, 'line', 'x'.repeat(1025))).toEqual({ ok: false, message: 'The password is longer than 1024 characters.' });
    expect(store(fromApp, 'line', 42)).toMatchObject({ ok: false });
    // The previous tests left the host replaying a recording.
    expect(store(fromApp, 'line', password)).toMatchObject({ ok: false, message: expect.stringContaining('A recording is being replayed') });
    expect(existsSync(storeFile())).toBe(false);
    expect(recorded.forked.length).toBe(forkedBefore);
  });

  it('refuses, saying why, when Linux has no keyring and only the plain-text backend exists', () => {
    watchLive();
    recorded.keychain.backend = 'basic_text';
    try {
      const result = store(fromApp, 'line', password);
      expect(result.ok).toBe(false);
      expect(result.message).toContain('no keyring (such as GNOME Keyring or KWallet) is running');
      expect(existsSync(storeFile())).toBe(false);
    } finally {
      recorded.keychain.backend = 'gnome_libsecret';
    }
  });

  it('refuses a page that is not the app\'s, or a frame that is gone, while watching live too, storing nothing', () => {
    const forkedBefore = recorded.forked.length;
    const refusal = { ok: false, message: "Only Twinline's own window may store a password." };
    for (const event of [{ senderFrame: { url: 'https://example.com/' } }, { senderFrame: { url: 'file:///index.html' } }, { senderFrame: { url: 'twinline://evil/index.html' } }, { senderFrame: null }]) {
      expect(store(event, 'line', password), JSON.stringify(event)).toEqual(refusal);
    }
    expect(existsSync(storeFile())).toBe(false);
    expect(recorded.forked.length).toBe(forkedBefore);
  });

  it('stores it encrypted in a file only the user can read, restarts the host and hands it the password as its first message, never in its arguments', () => {
    const forkedBefore = recorded.forked.length;
    expect(store(fromApp, 'line', password)).toEqual({ ok: true });
    const bytes = readFileSync(storeFile());
    expect(bytes.includes(Buffer.from(password))).toBe(false);
    expect(statSync(storeFile()).mode & 0o777).toBe(0o600);
    expect(recorded.forked.length).toBe(forkedBefore + 1);
    const host = recorded.forked.at(-1)!;
    expect(host.args.join(' ')).not.toContain(password);
    expect(host.child.postMessage.mock.calls[0]).toEqual([{ type: 'broker-passwords', passwords: { line: password } }]);
    const shellLog = readFileSync(join(app.getPath('logs'), 'shell.log'), 'utf8');
    expect(shellLog).toContain('a password for broker "line" was stored in the keychain');
    expect(shellLog).not.toContain(password);
  });
});

describe('saving a copy of an incident package', () => {
  const fromApp = { senderFrame: { url: 'twinline://app/index.html' }, sender: {} };
  const saveCopy = (event: unknown, name: unknown) => recorded.invokeHandlers.get('twinline:save-incident-copy')!(event, name) as Promise<{ ok: boolean; file?: string; cancelled?: boolean; message?: string }>;
  const packageName = 'incident-2026-12-01T10-00-00-000Z-a1b2c3.twinline';
  const watchLive = () => {
    const template = recorded.menuTemplate as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>;
    template.find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'Watch Live')!.click!();
  };

  it('asks where, then copies the package the live host saved there whole; a cancelled dialog copies nothing', async () => {
    watchLive();
    const { mkdirSync } = await import('node:fs');
    const incidents = join(app.getPath('userData'), 'recordings', 'incidents');
    mkdirSync(incidents, { recursive: true });
    writeFileSync(join(incidents, packageName), 'the package bytes');
    const chosenFolder = temporaryFolder('twinline-chosen-');
    const chosen = join(chosenFolder, 'Press 4 jam.twinline');
    vi.mocked(dialog.showSaveDialog).mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await saveCopy(fromApp, `incidents/${packageName}`)).toEqual({ ok: false, cancelled: true });
    vi.mocked(dialog.showSaveDialog).mockResolvedValueOnce({ canceled: false, filePath: chosen });
    expect(await saveCopy(fromApp, `incidents/${packageName}`)).toEqual({ ok: true, file: chosen });
    expect(readFileSync(chosen, 'utf8')).toBe('the package bytes');
    const [, options] = vi.mocked(dialog.showSaveDialog).mock.calls.at(-1) as unknown as [unknown, { defaultPath: string }];
    expect(options.defaultPath.endsWith(packageName)).toBe(true);
  });

  it('File → Save Incident… asks the focused window for its form, which holds the timeline selection', () => {
    const template = recorded.menuTemplate as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>;
    const contents = recorded.windows[0]!.webContents;
    contents.send.mockClear();
    template.find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'Save Incident…')!.click!();
    expect(contents.send.mock.calls).toEqual([['twinline:shell-command', 'saveIncident']]);
  });

  it('refuses a foreign page and any name that is not a saved package, without a dialog', async () => {
    const dialogsBefore = vi.mocked(dialog.showSaveDialog).mock.calls.length;
    expect(await saveCopy({ senderFrame: { url: 'https://example.com/' }, sender: {} }, `incidents/${packageName}`)).toEqual({ ok: false, message: "Only Twinline's own window may save a package." });
    for (const name of ['incidents/../broker-passwords.json', '../../etc/passwd', packageName, `incidents/${packageName}/..`, 42]) {
      expect(await saveCopy(fromApp, name), String(name)).toEqual({ ok: false, message: 'That is not the name of a saved incident package.' });
    }
    expect(vi.mocked(dialog.showSaveDialog).mock.calls.length).toBe(dialogsBefore);
  });

  it('opens one save dialog at a time: a page asking again meanwhile is refused without another', async () => {
    let answer: (value: { canceled: boolean; filePath: string }) => void = () => undefined;
    vi.mocked(dialog.showSaveDialog).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const dialogsBefore = vi.mocked(dialog.showSaveDialog).mock.calls.length;
    const first = saveCopy(fromApp, `incidents/${packageName}`);
    await vi.waitFor(() => expect(vi.mocked(dialog.showSaveDialog).mock.calls.length).toBe(dialogsBefore + 1));
    expect(await saveCopy(fromApp, `incidents/${packageName}`)).toEqual({ ok: false, message: 'A save dialog is open already.' });
    expect(vi.mocked(dialog.showSaveDialog).mock.calls.length).toBe(dialogsBefore + 1);
    answer({ canceled: true, filePath: '' });
    expect(await first).toEqual({ ok: false, cancelled: true });
    // Once it is closed, the next request asks again.
    vi.mocked(dialog.showSaveDialog).mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await saveCopy(fromApp, `incidents/${packageName}`)).toEqual({ ok: false, cancelled: true });
  });

  it('says why when the package is gone, and logs it', async () => {
    vi.mocked(dialog.showSaveDialog).mockResolvedValueOnce({ canceled: false, filePath: join(tmpdir(), 'never-written.twinline') });
    const result = await saveCopy(fromApp, 'incidents/incident-2026-12-01T11-00-00-000Z-ffffff.twinline');
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('no longer in the recordings folder') });
    expect(existsSync(join(tmpdir(), 'never-written.twinline'))).toBe(false);
    expect(readFileSync(join(app.getPath('logs'), 'shell.log'), 'utf8')).toContain('was not saved to');
  });
});

describe('File → New Plant… and a plant that changes', () => {
  type MenuItem = { label?: string; click?: () => void };
  const newPlantItem = () => (recorded.menuTemplate as Array<{ label?: string; submenu?: MenuItem[] }>).find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'New Plant…');
  const chooseFolder = vi.mocked(dialog.showOpenDialog);
  const page = () => recorded.windows[0]!.webContents;
  const portsSent = () => page().postMessage.mock.calls.filter(([channel]) => channel === 'twinline:port');

  it('is in the File menu, and does nothing when the folder dialog is cancelled', async () => {
    expect(newPlantItem()).toBeDefined();
    const forkedBefore = recorded.forked.length;
    chooseFolder.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    newPlantItem()!.click!();
    await vi.waitFor(() => expect(chooseFolder).toHaveBeenCalledWith(expect.objectContaining({ properties: expect.arrayContaining(['openDirectory', 'createDirectory']) })));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded.forked.length).toBe(forkedBefore);
  });

  it('writes plant.yaml with a broker on this machine into the chosen folder and restarts the host on it, in edit mode', async () => {
    const folder = join(temporaryFolder('twinline-new-plant-'), 'Line 4');
    const forkedBefore = recorded.forked.length;
    const reloadsBefore = recorded.reloads;
    chooseFolder.mockResolvedValueOnce({ canceled: false, filePaths: [folder] });
    newPlantItem()!.click!();
    await vi.waitFor(() => expect(recorded.forked.length).toBe(forkedBefore + 1));
    const file = join(folder, 'plant.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('url: mqtt://127.0.0.1:1883');
    expect(text).toContain('name: Line 4');
    expect(existsSync(join(folder, 'models'))).toBe(true);
    const args = recorded.forked.at(-1)!.args;
    expect(args.slice(0, 3)).toEqual(['--plant', file, '--edit']);
    expect(args).not.toContain('--tours');
    expect(recorded.reloads).toBeGreaterThan(reloadsBefore);
  });

  it('never overwrites a plant file already in the chosen folder: it says so and the host is left as it was', async () => {
    const folder = temporaryFolder('twinline-existing-plant-');
    const file = join(folder, 'plant.yaml');
    writeFileSync(file, 'name: Mine\n');
    const forkedBefore = recorded.forked.length;
    chooseFolder.mockResolvedValueOnce({ canceled: false, filePaths: [folder] });
    newPlantItem()!.click!();
    await vi.waitFor(() => expect(dialog.showErrorBox).toHaveBeenCalledWith('Twinline cannot make a plant there', expect.stringContaining('exists')));
    expect(readFileSync(file, 'utf8')).toBe('name: Mine\n');
    expect(recorded.forked.length).toBe(forkedBefore);
  });

  it("serves a changed plant's model files, refuses the old plant's, and gives every window a new link to the host", async () => {
    const host = recorded.forked.at(-1)!.child;
    const models = temporaryFolder('twinline-changed-plant-');
    writeFileSync(join(models, 'old.glb'), 'glb');
    writeFileSync(join(models, 'new.glb'), 'glb');
    writeFileSync(join(models, 'offered.glb'), 'glb');
    const status = async (file: string) => (await recorded.protocolHandler!(new Request(`twinline://app/models/${file}`))).status;
    host.emit('message', { type: 'ready', modelsDirectory: models, modelFiles: ['old.glb'], plantName: 'Line 4' });
    expect(await status('old.glb')).toBe(200);
    const portsBefore = portsSent().length;
    const connectsBefore = host.postMessage.mock.calls.filter(([message]) => (message as { type?: string }).type === 'connect-view').length;
    host.emit('message', { type: 'plant-applied', modelsDirectory: models, modelFiles: ['new.glb'], plantName: 'Line 4' });
    expect(await status('new.glb')).toBe(200);
    expect(await status('old.glb')).toBe(404);
    expect(portsSent()).toHaveLength(portsBefore + 1);
    expect(host.postMessage.mock.calls.filter(([message]) => (message as { type?: string }).type === 'connect-view')).toHaveLength(connectsBefore + 1);
    // A model file the editor offered a view is served too, without a new link; a malformed list changes nothing.
    host.emit('message', { type: 'model-files-offered', modelFiles: ['new.glb', 'offered.glb'] });
    expect(await status('offered.glb')).toBe(200);
    host.emit('message', { type: 'model-files-offered', modelFiles: 'old.glb' });
    expect(await status('old.glb')).toBe(404);
    expect(portsSent()).toHaveLength(portsBefore + 1);
  });

  it('starts a replay process at the level the host asks, links the two by a port, replaces it when asked again, and stops it with its host', () => {
    const host = recorded.forked.at(-1)!;
    const replayPorts = (child: FakeChild) => child.postMessage.mock.calls.filter(([message]) => (message as { type?: string }).type === 'replay-port');
    host.child.emit('message', { type: 'start-replay-process', request: 7, level: 'idle' });
    const replay = recorded.forked.at(-1)!;
    expect(replay.modulePath).toMatch(/replay-process\.mjs$/);
    expect(replay.args).toEqual([]);
    // The host gets its end once the process has spawned, with its id.
    expect(replayPorts(host.child)).toEqual([]);
    replay.child.emit('spawn');
    // One port between them: the host has one end, the replay process the other.
    const [[toHost, [hostEnd]]] = replayPorts(host.child) as [[unknown, [{ channel: number; end: number }]]];
    const [[toReplay, [replayEnd]]] = replayPorts(replay.child) as [[unknown, [{ channel: number; end: number }]]];
    // The host learns the replay process's id, to watch whether other programs starve it.
    expect(replay.child.pid).toBeGreaterThan(0);
    expect(toHost).toEqual({ type: 'replay-port', request: 7, pid: replay.child.pid });
    expect(toReplay).toEqual({ type: 'replay-port', request: 7 });
    expect(hostEnd!.channel).toBe(replayEnd!.channel);
    expect(new Set([hostEnd!.end, replayEnd!.end])).toEqual(new Set([1, 2]));

    // Asked again (the host lost its link to it, or ended it as starved), the old one is stopped and a new one linked, at the level asked.
    host.child.emit('message', { type: 'start-replay-process', request: 8, level: 'below-normal' });
    expect(replay.child.kill).toHaveBeenCalled();
    const second = recorded.forked.at(-1)!;
    expect(second.modulePath).toMatch(/replay-process\.mjs$/);
    expect(second.args).toEqual(['--yield-level=below-normal']);
    second.child.emit('spawn');
    expect(replayPorts(host.child)).toHaveLength(2);

    // A fatal error there is logged, not thrown in the shell.
    second.child.emit('error', 'FatalError', 'v8::ToLocalChecked');
    // A request without its number, or at a level there is none of, is not one.
    host.child.emit('message', { type: 'start-replay-process', level: 'idle' });
    host.child.emit('message', { type: 'start-replay-process', request: 9, level: 'realtime' });
    expect(recorded.forked.at(-1)).toBe(second);
    host.child.emit('exit', 0);
    expect(second.child.kill).toHaveBeenCalled();
    const shellLog = readFileSync(join(app.getPath('logs'), 'shell.log'), 'utf8');
    expect(shellLog).toMatch(/replay process started \(process \d+\) for the host/);
    expect(shellLog).toMatch(/replay process \(process \d+\): FatalError at v8::ToLocalChecked/);
  });
});
