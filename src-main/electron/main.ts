// The desktop shell: one window per view, the host in a utility process, and Electron's security checklist.
// Everything that is not about windows lives in src-main/node and runs the same in `twinline serve`.
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, net, protocol, safeStorage, session, utilityProcess, type IpcMainEvent, type IpcMainInvokeEvent, type UtilityProcess, type WebContents } from 'electron';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostNotice, SaveIncidentCopyResult, StoreBrokerPasswordResult } from '../common/bridge.ts';
import { contentSecurityPolicyFor } from '../common/content-security-policy.ts';
import { copyIncidentPackage, savedIncidentPackage } from '../node/packages/copy-incident-package.ts';
import { writeNewPlant } from '../node/plant-editing/new-plant-file.ts';
import { resolveFileInside, resolveModelFile } from '../node/resolve-served-file.ts';
import { describeExit, ProcessSupervisor, type SupervisorEvent } from '../node/process-supervisor.ts';
import { yieldLevelArguments } from '../node/replay/replay-process-arguments.ts';
import { replayProcessEnvironment } from '../node/replay/replay-process-environment.ts';
import type { YieldLevel } from '../node/thread-priority.ts';
import { RotatingLog } from '../node/rotating-log.ts';
import { BrokerPasswordStore, validateBrokerPasswordRequest } from './broker-password-store.ts';
import { bridgeChannels, hostProcessMessages, recordingFileExtension, type BrokerPasswordsMessage, type HostProcessReport, type ReplayPortMessage } from './host-process-messages.ts';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = join(here, '..', '..');
const rendererDirectory = join(appRoot, 'dist', 'renderer');
const scheme = 'twinline';
const appOrigin = `${scheme}://app`;
/** The broker a new plant starts with: one on this machine, which the user changes in the plant file or the editor. */
const newPlantBrokerUrl = 'mqtt://127.0.0.1:1883';

// Served from a privileged custom scheme rather than file://, so the page has a real origin and a CSP header.
protocol.registerSchemesAsPrivileged([{ scheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let modelsDirectory = join(appRoot, 'models');
/** The model files the shown plant names: the only ones served from `modelsDirectory`. */
let modelFiles: ReadonlySet<string> = new Set();
/** The user's plant file (`--plant`, or one made with File → New Plant…); undefined for the demo. */
let userPlantFile: string | undefined = argumentValues('--plant')[0];
/** The recording the host replays, or undefined for the live plant; every (re)start of the host uses it. */
let hostRecording: string | undefined = argumentValues('--open')[0];
/** The host that has said it is ready to serve views, until it goes away. */
let readyHost: UtilityProcess | undefined;
/** Which host each page holds a port to, so a restarted host reaches every page exactly once. */
const connectedHost = new WeakMap<WebContents, UtilityProcess>();
let shellLog: RotatingLog | undefined;
/** Broker passwords in the OS keychain; made once the app is ready, as safeStorage needs. */
let passwordStore: BrokerPasswordStore | undefined;

/** A line in the shell's log (and, in development, on the terminal that started the app). */
function logLine(line: string): void {
  if (!app.isPackaged) console.log(`Twinline: ${line}`);
  shellLog?.write(line);
}

// The host runs in its own process so a crash there never takes a window with it; this brings it back.
const hostSupervisor = new ProcessSupervisor<UtilityProcess>({ start: forkHost, reportListenerError: logLine });
hostSupervisor.onEvent(onHostEvent);

/** Every value given for an option, e.g. all `--broker` values. */
function argumentValues(name: string): string[] {
  return process.argv.flatMap((value, index) => (process.argv[index - 1] === name ? [value] : []));
}

/** The host's arguments: the live plant (default the demo), or `--open FILE` to replay a recording; and its log. */
function hostArguments(recordingFile: string | undefined): string[] {
  const log = ['--log', join(app.getPath('logs'), 'host.log')];
  if (recordingFile) return ['--open', recordingFile, ...log];
  const args: string[] = [];
  const recordings = liveRecordingsFolder();
  args.push('--plant', livePlantFile());
  // The user's plant may be edited (the host checks the file can be written); the demo is part of the app, and keeps its tours with the recordings.
  if (userPlantFile !== undefined) args.push('--edit');
  else args.push('--tours', join(recordings, 'demo-plant.tours.yaml'));
  for (const broker of argumentValues('--broker')) args.push('--broker', broker);
  args.push('--out', recordings);
  return [...args, ...log];
}

/** Where the live host records (`--out`, or the user-data folder). */
function liveRecordingsFolder(): string {
  return argumentValues('--out')[0] ?? join(app.getPath('userData'), 'recordings');
}

/** Where the running host keeps the incident packages views save: beside an opened recording, or among the live recordings. */
function incidentRecordingsFolder(): string {
  return hostRecording !== undefined ? dirname(resolve(hostRecording)) : liveRecordingsFolder();
}

/** The plant file the live host watches. */
function livePlantFile(): string {
  // The bundled host cannot find the demo relative to itself, so the shell names it.
  return resolve(userPlantFile ?? join(appRoot, 'assets', 'demo-plant.yaml'));
}

/** The keychain's passwords for the live plant; none when replaying or when they cannot be read. */
function storedBrokerPasswords(): Record<string, string> {
  if (hostRecording !== undefined || !passwordStore) return {};
  try {
    return passwordStore.passwordsFor(livePlantFile());
  } catch (error) {
    // The host still starts; a broker that needs the password says so, and the user can enter it again.
    logLine(`the stored broker passwords cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

/** Starts one host process; the supervisor calls it again for every restart. */
function forkHost(): UtilityProcess {
  readyHost = undefined;
  const child = utilityProcess.fork(join(here, 'host-process.mjs'), hostArguments(hostRecording), { serviceName: 'Twinline host', stdio: 'inherit' });
  // The first message, before any window's port: passwords go only this way, never in arguments, environment or log.
  const passwords: BrokerPasswordsMessage = { type: hostProcessMessages.brokerPasswords, passwords: storedBrokerPasswords() };
  child.postMessage(passwords);
  child.on('message', (report: unknown) => {
    // A boundary: whatever goes wrong linking windows is logged, and never takes the shell down.
    try {
      onHostReport(child, report);
    } catch (error) {
      logLine(`handling a report of the host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  });
  return child;
}

/** The host's replay process, started when the host asks (a utility process cannot start another). */
let replayProcess: UtilityProcess | undefined;

/**
 * Starts a replay process for the host, replacing the one before (the host asks again only when it
 * lost its link to it), and hands each of them one end of a port between them.
 */
function startReplayProcess(host: UtilityProcess, request: number, level: YieldLevel): void {
  stopReplayProcess();
  // Only what replay needs of the environment: a plant's broker passwords may be in it.
  const replay = utilityProcess.fork(join(here, 'replay-process.mjs'), yieldLevelArguments(level), { serviceName: 'Twinline replay', stdio: 'inherit', env: replayProcessEnvironment() });
  replayProcess = replay;
  replay.on('exit', (code) => {
    if (replayProcess === replay) replayProcess = undefined;
    logLine(`replay process (process ${replay.pid ?? '?'}) stopped with code ${code}`);
  });
  // A fatal error there is reported here, never thrown in the shell for want of a listener.
  replay.on('error', (type: string, location: string) => logLine(`replay process (process ${replay.pid ?? '?'}): ${type} at ${location}`));
  const { port1, port2 } = new MessageChannelMain();
  replay.postMessage({ type: hostProcessMessages.replayPort, request } satisfies ReplayPortMessage, [port2]);
  // The host gets its end with the process's id, which Electron knows once the process has spawned: the
  // host watches by it whether other programs starve replay. No spawn, no link: the host gives up in time.
  const linkHost = () => {
    // Replaced meanwhile (the host asked again, or went): this one is no longer the host's.
    if (replayProcess !== replay) return;
    try {
      host.postMessage({ type: hostProcessMessages.replayPort, request, pid: replay.pid } satisfies ReplayPortMessage, [port1]);
      logLine(`replay process started (process ${replay.pid ?? '?'}) for the host (process ${host.pid ?? '?'})`);
    } catch (error) {
      logLine(`linking the replay process (process ${replay.pid ?? '?'}) to the host failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (replay.pid !== undefined) linkHost();
  else replay.once('spawn', linkHost);
}

function stopReplayProcess(): void {
  const replay = replayProcess;
  replayProcess = undefined;
  replay?.kill();
}

/** The host started (then every page gets a link to it) or cannot start (then it is not started again). */
function onHostReport(child: UtilityProcess, report: unknown): void {
  if (child !== hostSupervisor.current || !isHostProcessReport(report)) return;
  if (report.type === hostProcessMessages.ready) {
    modelsDirectory = report.modelsDirectory;
    modelFiles = new Set(report.modelFiles);
    readyHost = child;
    logLine(`host ready (process ${child.pid ?? '?'}): ${report.plantName}`);
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      // A page still loading gets its port when it has loaded (did-finish-load).
      if (!contents.isDestroyed() && !contents.isLoading() && connectedHost.get(contents) !== child) connectView(contents, child);
    }
    return;
  }
  if (report.type === hostProcessMessages.plantApplied) {
    // The saved plant runs: only its model files are served now, and the host closed the windows' ports, so each gets a new one to it.
    modelsDirectory = report.modelsDirectory;
    modelFiles = new Set(report.modelFiles);
    logLine(`the plant file changed: now showing ${report.plantName}`);
    if (readyHost !== child) return;
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      if (!contents.isDestroyed() && !contents.isLoading()) connectView(contents, child);
    }
    return;
  }
  if (report.type === hostProcessMessages.modelFilesOffered) {
    // The editor offered a view model files the plant does not name yet: served too, so a machine added from one shows before it is saved.
    modelFiles = new Set(report.modelFiles);
    return;
  }
  if (report.type === hostProcessMessages.startReplayProcess) {
    startReplayProcess(child, report.request, report.level);
    return;
  }
  // Starting again would fail the same way (a wrong plant file, a damaged recording): say so once and wait for the user.
  logLine(`host cannot start: ${report.message}`);
  void hostSupervisor.stop();
  tellWindows({ type: 'hostFailed', message: report.message });
  dialog.showErrorBox('Twinline cannot open this', report.message);
}

function isHostProcessReport(report: unknown): report is HostProcessReport {
  if (typeof report !== 'object' || report === null) return false;
  const typed = report as Record<string, unknown>;
  if (typed.type === hostProcessMessages.ready || typed.type === hostProcessMessages.plantApplied) return typeof typed.modelsDirectory === 'string' && typeof typed.plantName === 'string' && isModelFileList(typed.modelFiles);
  if (typed.type === hostProcessMessages.modelFilesOffered) return isModelFileList(typed.modelFiles);
  if (typed.type === hostProcessMessages.startReplayProcess) return Number.isSafeInteger(typed.request) && (typed.level === 'idle' || typed.level === 'below-normal');
  return typed.type === hostProcessMessages.failed && typeof typed.message === 'string';
}

/** Most model files a plant may name; a longer list is not a plant's. */
const maxModelFiles = 10_000;

/** Whether a report's model files are a bounded list of text. */
function isModelFileList(files: unknown): files is string[] {
  return Array.isArray(files) && files.length <= maxModelFiles && files.every((file) => typeof file === 'string' && file.length <= 4096);
}

/** Logs what happens to the host and tells every window when it stopped unexpectedly. */
function onHostEvent(event: SupervisorEvent<UtilityProcess>): void {
  switch (event.type) {
    case 'started':
      logLine(`host ${event.restart ? 'restarted' : 'started'} (process ${event.pid ?? '?'})`);
      return;
    case 'exited':
      if (event.process === readyHost) readyHost = undefined;
      // Its replay process served only it; the next host asks for its own.
      stopReplayProcess();
      logLine(`host (process ${event.pid ?? '?'}) ${event.expected ? 'stopped' : 'stopped unexpectedly'}: ${describeExit(event.exit)}, after ${(event.uptimeMs / 1000).toFixed(1)} s`);
      return;
    case 'restarting':
      logLine(`restarting the host in ${event.delayMs} ms (${event.crashesInARow} unexpected stop${event.crashesInARow === 1 ? '' : 's'} in a row)`);
      tellWindows({ type: 'hostExited', code: event.exit.code, signal: event.exit.signal, restartInMs: event.delayMs, crashesInARow: event.crashesInARow });
      return;
    case 'gaveUp':
      logLine(`host stopped ${event.crashesInARow} times in a row; not restarting it`);
      tellWindows({ type: 'hostFailed', message: `The host stopped ${event.crashesInARow} times in a row (${describeExit(event.exit)}).` });
      return;
    case 'error':
      logLine(`host: ${event.message}`);
      return;
  }
}

/** Tells every page what happened to its host; its link to that host is gone. */
function tellWindows(notice: HostNotice): void {
  for (const window of BrowserWindow.getAllWindows()) {
    const contents = window.webContents;
    if (contents.isDestroyed()) continue;
    connectedHost.delete(contents);
    contents.send(bridgeChannels.hostNotice, notice);
  }
}

/** Gives one page its own channel to the host; the page receives its end through the preload. */
function connectView(contents: WebContents, child: UtilityProcess): void {
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ type: hostProcessMessages.connectView }, [port1]);
  contents.postMessage(bridgeChannels.port, null, [port2]);
  connectedHost.set(contents, child);
}

/** Replaces the host (live, or a recording) on purpose and reloads every window onto the new one. */
function switchHost(recordingFile: string | undefined): void {
  hostRecording = recordingFile;
  hostSupervisor.replace();
  for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
}

/** Whether a path names an existing recording file; anything a renderer sends is checked again here. */
function isRecordingFile(path: unknown): path is string {
  return typeof path === 'string' && path.endsWith(recordingFileExtension) && existsSync(path) && statSync(path).isFile();
}

/** A window asks to keep a broker password: only the app's own page, checked input, the keychain or a reason; the live host restarts with it. */
function onStoreBrokerPassword(event: IpcMainInvokeEvent, brokerId: unknown, password: unknown): StoreBrokerPasswordResult {
  const frame = event.senderFrame;
  if (!frame || !isAppUrl(frame.url)) return { ok: false, message: 'Only Twinline\'s own window may store a password.' };
  const checked = validateBrokerPasswordRequest(brokerId, password);
  if ('error' in checked) return { ok: false, message: checked.error };
  if (hostRecording !== undefined) return { ok: false, message: 'A recording is being replayed: passwords are for watching the live plant.' };
  if (!passwordStore) return { ok: false, message: 'Twinline is still starting; try again in a moment.' };
  try {
    passwordStore.store(livePlantFile(), checked.brokerId, checked.password);
  } catch (error) {
    // The store's errors are written for the user (no keychain, nothing to encrypt with) and never hold the password.
    const message = error instanceof Error ? error.message : String(error);
    logLine(`a password for broker "${checked.brokerId}" was not stored: ${message}`);
    return { ok: false, message };
  }
  logLine(`a password for broker "${checked.brokerId}" was stored in the keychain; restarting the host with it`);
  switchHost(undefined);
  return { ok: true };
}

/** Whether the *Save a copy…* dialog is showing (see `onSaveIncidentCopy`). */
let saveDialogOpen = false;

/**
 * *Save a copy…* of an incident package a view saved: only the app's own page, only a name the host
 * makes; the user picks the file in a save dialog and the package is copied there whole.
 */
async function onSaveIncidentCopy(event: IpcMainInvokeEvent, name: unknown): Promise<SaveIncidentCopyResult> {
  const frame = event.senderFrame;
  if (!frame || !isAppUrl(frame.url)) return { ok: false, message: 'Only Twinline\'s own window may save a package.' };
  const source = savedIncidentPackage(incidentRecordingsFolder(), name);
  if (source === undefined) return { ok: false, message: 'That is not the name of a saved incident package.' };
  // A page asking in a loop must not stack save dialogs on the user: one at a time.
  if (saveDialogOpen) return { ok: false, message: 'A save dialog is open already.' };
  const window = BrowserWindow.fromWebContents(event.sender);
  const options = { title: 'Save a copy of the incident package', defaultPath: join(app.getPath('documents'), basename(source)), filters: [{ name: 'Twinline recordings', extensions: [recordingFileExtension.slice(1)] }] };
  let chosen: Electron.SaveDialogReturnValue;
  saveDialogOpen = true;
  try {
    chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  } finally {
    saveDialogOpen = false;
  }
  if (chosen.canceled || !chosen.filePath) return { ok: false, cancelled: true };
  try {
    await copyIncidentPackage(source, chosen.filePath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logLine(`a copy of ${basename(source)} was not saved to ${chosen.filePath}: ${message}`);
    return { ok: false, message: `The copy was not saved: ${message}` };
  }
  logLine(`saved a copy of ${basename(source)} to ${chosen.filePath}`);
  return { ok: true, file: chosen.filePath };
}

/**
 * File → New Plant…: a folder (made in the dialog if need be) gets a plant.yaml as `twinline new`
 * writes it, with a broker on this machine the user then changes, and the host starts on it. A
 * folder that already has a plant file keeps it: it is never overwritten.
 */
async function chooseNewPlantFolder(): Promise<void> {
  const result = await dialog.showOpenDialog({ title: 'New plant: choose or make its folder', buttonLabel: 'Make Plant Here', properties: ['openDirectory', 'createDirectory'] });
  const folder = result.filePaths[0];
  if (result.canceled || folder === undefined) return;
  let file: string;
  try {
    file = writeNewPlant(folder, { brokerUrl: newPlantBrokerUrl });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logLine(`no new plant was made: ${message}`);
    dialog.showErrorBox('Twinline cannot make a plant there', message);
    return;
  }
  logLine(`made a new plant ${file}; watching it`);
  userPlantFile = file;
  switchHost(undefined);
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

function serveAppProtocol(): void {
  protocol.handle(scheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad request: the path is not valid percent-encoding', { status: 400 });
    }
    // The same rule as `twinline serve`: only the plant's own model files, and never through a link that leads outside.
    const file = path.startsWith('/models/')
      ? await resolveModelFile(modelsDirectory, modelFiles, path.slice('/models/'.length))
      : await resolveFileInside(rendererDirectory, path === '/' ? 'index.html' : path.slice(1));
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicyFor(path));
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
  // A freshly loaded page has no link yet; until the host is ready, its ready report connects the page.
  window.webContents.on('did-finish-load', () => {
    if (readyHost) connectView(window.webContents, readyHost);
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
        { label: 'New Plant…', click: () => void chooseNewPlantFolder().catch((error: unknown) => logLine(`making a new plant failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)) },
        { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => void chooseRecording() },
        // The window holds the timeline's selection, so it opens its own form (and says how to select a range first).
        { label: 'Save Incident…', accelerator: 'CmdOrCtrl+Shift+S', click: () => BrowserWindow.getFocusedWindow()?.webContents.send(bridgeChannels.shellCommand, 'saveIncident') },
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
  ipcMain.handle(bridgeChannels.storeBrokerPassword, onStoreBrokerPassword);
  ipcMain.handle(bridgeChannels.saveIncidentCopy, onSaveIncidentCopy);
  shellLog = new RotatingLog({ file: join(app.getPath('logs'), 'shell.log') });
  passwordStore = new BrokerPasswordStore({ file: join(app.getPath('userData'), 'broker-passwords.json'), encryption: safeStorage, log: logLine });
  hostSupervisor.start();
  buildMenu();
  await openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => void hostSupervisor.stop());
