// The desktop shell: one window per view, the host in a utility process, and Electron's security checklist.
// Everything that is not about windows lives in src-main/node and runs the same in `twinline serve`.
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, net, protocol, session, utilityProcess, type IpcMainEvent, type UtilityProcess, type WebContents } from 'electron';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../common/content-security-policy.ts';
import { bridgeChannels, hostProcessMessages, recordingFileExtension, type HostProcessReport } from './host-process-messages.ts';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = join(here, '..', '..');
const rendererDirectory = join(appRoot, 'dist', 'renderer');
const scheme = 'twinline';
const appOrigin = `${scheme}://app`;

// Served from a privileged custom scheme rather than file://, so the page has a real origin and a CSP header.
protocol.registerSchemesAsPrivileged([{ scheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let host: UtilityProcess | undefined;
let modelsDirectory = join(appRoot, 'models');
let hostReady: Promise<void> = Promise.resolve();

/** Every value given for an option, e.g. all `--broker` values. */
function argumentValues(name: string): string[] {
  return process.argv.flatMap((value, index) => (process.argv[index - 1] === name ? [value] : []));
}

/** The host's arguments: the live plant (default the demo), or `--open FILE` to replay a recording. */
function hostArguments(recordingFile: string | undefined): string[] {
  if (recordingFile) return ['--open', recordingFile];
  const args: string[] = [];
  // The bundled host cannot find the demo relative to itself, so the shell names it.
  const plant = argumentValues('--plant')[0] ?? join(appRoot, 'assets', 'demo-plant.yaml');
  args.push('--plant', plant);
  for (const broker of argumentValues('--broker')) args.push('--broker', broker);
  args.push('--out', argumentValues('--out')[0] ?? join(app.getPath('userData'), 'recordings'));
  return args;
}

function startHostProcess(recordingFile: string | undefined = argumentValues('--open')[0]): void {
  const child = utilityProcess.fork(join(here, 'host-process.mjs'), hostArguments(recordingFile), { serviceName: 'Twinline host', stdio: 'inherit' });
  host = child;
  hostReady = new Promise((resolve, reject) => {
    child.on('message', (report: HostProcessReport) => {
      if (report.type === hostProcessMessages.ready) {
        modelsDirectory = report.modelsDirectory;
        resolve();
      } else if (report.type === hostProcessMessages.failed) {
        reject(new Error(report.message));
      }
    });
  });
  hostReady.catch((error: unknown) => dialog.showErrorBox('Twinline cannot open this', error instanceof Error ? error.message : String(error)));
  child.on('exit', () => {
    // A replaced host exits on purpose; only the current one going away matters to the windows.
    if (host !== child) return;
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(bridgeChannels.hostExited);
  });
}

/** Replaces the host (live, or a recording) and reloads every window onto the new one. */
function switchHost(recordingFile: string | undefined): void {
  const previous = host;
  startHostProcess(recordingFile);
  previous?.kill();
  for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
}

/** Whether a path names an existing recording file; anything a renderer sends is checked again here. */
function isRecordingFile(path: unknown): path is string {
  return typeof path === 'string' && path.endsWith(recordingFileExtension) && existsSync(path) && statSync(path).isFile();
}

async function chooseRecording(): Promise<void> {
  const result = await dialog.showOpenDialog({ title: 'Open a recording', filters: [{ name: 'Twinline recordings', extensions: [recordingFileExtension.slice(1)] }], properties: ['openFile'] });
  const file = result.filePaths[0];
  if (!result.canceled && isRecordingFile(file)) switchHost(file);
}

/** A dropped recording, sent by the preload; only the app's own page may ask. */
function onOpenRecording(event: IpcMainEvent, path: unknown): void {
  const frame = event.senderFrame;
  if (!frame || !isAppUrl(frame.url) || !isRecordingFile(path)) return;
  switchHost(path);
}

/** Resolves a path inside a folder, refusing anything that would step outside it. */
function inside(directory: string, relativePath: string): string | undefined {
  const root = normalize(directory + sep);
  const candidate = normalize(join(root, relativePath));
  return candidate.startsWith(root) ? candidate : undefined;
}

function serveAppProtocol(): void {
  protocol.handle(scheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const path = decodeURIComponent(url.pathname);
    const file = path.startsWith('/models/') ? inside(modelsDirectory, path.slice('/models/'.length)) : inside(rendererDirectory, path === '/' ? 'index.html' : path.slice(1));
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Whether a URL is the app's own page; compared by scheme and host, since custom schemes have an opaque origin in URL parsers. */
function isAppUrl(target: string): boolean {
  try {
    const url = new URL(target);
    return url.protocol === `${scheme}:` && url.host === 'app';
  } catch {
    return false;
  }
}

/** Denies what a viewer never needs: navigation away, new windows, permissions, webviews. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, target) => {
    if (!isAppUrl(target)) event.preventDefault();
  });
  contents.on('will-redirect', (event, target) => {
    if (!isAppUrl(target)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

async function openWindow(): Promise<void> {
  const window = new BrowserWindow({
    width: 1600,
    height: 960,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#15181c',
    title: 'Twinline',
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // Each window gets its own channel to the host; the page receives its end through the preload.
  window.webContents.on('did-finish-load', async () => {
    await hostReady.catch(() => undefined);
    const { port1, port2 } = new MessageChannelMain();
    host?.postMessage({ type: hostProcessMessages.connectView }, [port1]);
    window.webContents.postMessage(bridgeChannels.port, null, [port2]);
  });
  await window.loadURL(`${appOrigin}/index.html`);
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Window', accelerator: 'CmdOrCtrl+N', click: () => void openWindow() },
        { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => void chooseRecording() },
        { label: 'Watch Live', click: () => switchHost(undefined) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.on('web-contents-created', (_, contents) => lockDown(contents));

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_, __, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveAppProtocol();
  ipcMain.on(bridgeChannels.openRecording, onOpenRecording);
  startHostProcess();
  buildMenu();
  await openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => host?.kill());
