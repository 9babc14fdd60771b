#!/usr/bin/env node
import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PlantFileError } from '../common/parse-plant.ts';
import { redactUrl } from '../common/redact-secrets.ts';
import { parseByteSize, parseDuration } from '../common/parse-quantity.ts';
import { parseZonedTime, ZonedTimeError } from '../common/parse-zoned-time.ts';
import { plantModelFiles } from '../common/plant-model-files.ts';
import { startBrokerLogReport } from './broker-log-reporter.ts';
import { describeModel, formatModelDescription, isModelBroken, type ModelDescription } from './describe-models.ts';
import { exitOnSignal } from './exit-on-signal.ts';
import { installFatalErrorHandlers } from './fatal-errors.ts';
import { openRecording } from './open-recording.ts';
import { writeNewPlant } from './plant-editing/new-plant-file.ts';
import { checkPlantFileWritable } from './plant-editing/plant-editor.ts';
import { startPlantServices } from './plant-services.ts';
import { exportAlarmJournal } from './recording/export-alarm-journal.ts';
import { exportCsv } from './recording/export-csv.ts';
import { selectExportSignals } from './recording/export-signal-selection.ts';
import type { RecordingOptions } from './recording/recording-manager.ts';
import { RecordingReader } from './recording/recording-reader.ts';
import { RotatingLog } from './rotating-log.ts';
import { parseBrokerArguments, startHost } from './twinline-host.ts';
import { startViewServer } from './view-server.ts';
import { topicsCommand, topicsUsage } from './topic-explorer/topics-command.ts';
import { packageCommand, packageUsage } from './packages/package-command.ts';
import { exportMcapCommand } from './packages/export-mcap-command.ts';
import { placePackageTours } from './packages/package-tours.ts';
import { incidentsFolderName } from './packages/save-incident.ts';
import { checkKioskTour, kioskUrl, recordingToursStore } from './tours/serve-tours.ts';
import { withTours } from './tours/with-tours.ts';

const usage = `Usage:
  twinline serve [options]            the view in a browser (default: the demo plant)
  twinline record --plant FILE [--broker URL] [--out DIR]
                                      record around the clock, with no window
                                      (every broker needs a URL: in the plant file or --broker)
  twinline open FILE [--port N]       replay a recording in a browser, offline
  twinline new [FOLDER] --broker URL [--name NAME]
                                      start a plant: FOLDER/plant.yaml (default: this folder) with
                                      the broker and no machines yet, and a models folder beside it;
                                      never replaces an existing plant file
  twinline export FILE [--signal MACHINE/SIGNAL|MACHINE]... [--from TIME] [--to TIME] [--out FILE.csv]
                                      recorded samples as CSV (default: every signal, whole range, to stdout);
                                      a MACHINE is all of its signals; TIME has a zone: 2026-11-25T06:00:00Z
                                      or 2026-11-25T07:00:00+01:00 (or ms since 1970); --out never overwrites
  twinline export FILE --list         the recording's time range and signal keys, with units
  twinline export FILE --alarms [--from TIME] [--to TIME] [--out FILE.csv]
                                      the alarm journal as CSV: every raise, acknowledgement, shelf and
                                      return to normal, with machine, signal, priority, who and when
  twinline export FILE --mcap OUT.mcap [--from TIME] [--to TIME]
                                      the samples as MCAP, for tools that read it: one channel per
                                      signal (machine/signal), JSON messages of value and quality
${packageUsage}  twinline models FILE... [--json]    each model's node tree (names to bind, triangles, materials,
                                      size in metres), its glTF extensions and the Khronos
                                      validator's result; exits with 1 when a file will not load
                                      or is not valid glTF (--json: the same for machines)
  twinline models --lod FILE... [--ratio R] [--out DIR]
                                      writes a simplified copy of each model (NAME.lod.glb beside
                                      it, or in DIR) keeping about R of its triangles (default
                                      0.2), for a plant's lod field; exits with 1 when one fails
${topicsUsage}
Options of serve and record:
  --plant FILE       plant file (YAML) to show
  --broker URL       MQTT broker of the plant, e.g. mqtt://10.0.0.5:1883
  --broker ID=URL    URL of the plant file's broker ID, instead of the file's (repeat for
                     several brokers); serve gives a broker left without a URL an
                     embedded one (the demo), record refuses to start
  Broker url, username, password and clientId in the plant file may be \${NAME}:
  filled in from the environment variable NAME at start (write $\${ for a literal \${).
  --simulate         also publish simulated telemetry for the plant to the broker
  --edit             serve only: views may edit the plant file (it and its folder must be
                     writable); saved changes run at once, as any change of the file does
  --tours FILE       serve only: where viewpoints and tours are kept (default: PLANT.tours.yaml
                     beside the plant file; the demo's in the --out folder)
  --kiosk TOUR       serve only: the printed address opens in presentation mode, looping TOUR
  --out DIR          where recordings go (default ./recordings)
  --no-record        serve without recording
  --file-size SIZE   start a new recording file past this size (default 1GiB)
  --file-age TIME    ... or past this age (default 1h)
  --keep SIZE        delete the oldest recordings while all of them take more (default 20GiB)
Options of serve and open:
  --host ADDRESS     address to listen on (default 127.0.0.1; other addresses expose the plant)
  --port N           port to listen on (default 5170; 0 picks a free one)
  --token TOKEN      access token the printed URL carries (default: a random one
                     off loopback, none on loopback)
Options of serve, record and open:
  --log FILE         also write what happens, errors with their context, to FILE
                     (rotated at 5 MiB, three old files kept)
  -h, --help         this text
`;

const rendererDirectory = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

const hostOptions = {
  plant: { type: 'string' },
  broker: { type: 'string', multiple: true },
  simulate: { type: 'boolean' },
  out: { type: 'string', default: 'recordings' },
  'no-record': { type: 'boolean' },
  'file-size': { type: 'string', default: '1GiB' },
  'file-age': { type: 'string', default: '1h' },
  keep: { type: 'string', default: '20GiB' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '5170' },
  token: { type: 'string' },
  log: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The log file of `--log`, once opened. */
let logFile: RotatingLog | undefined;

/** Prints a line and writes it to the `--log` file when there is one; a URL's credentials never reach either. */
const log = (line: string) => {
  const safe = redactUrl(line);
  console.log(safe);
  logFile?.write(safe);
};

/** Prints an error and writes it to the `--log` file when there is one; a URL's credentials never reach either. */
const logError = (line: string) => {
  const safe = redactUrl(line);
  console.error(safe);
  logFile?.write(safe);
};

/** Opens the `--log` file; until then (and without one) lines go to the terminal only. */
function openLog(file: string | undefined): void {
  if (file !== undefined) logFile = new RotatingLog({ file: resolve(file) });
}

/** Where and how much to record, from the options of serve and record. */
function recordingOptionsOf(values: { out: string; 'file-size': string; 'file-age': string; keep: string }): RecordingOptions {
  return {
    directory: resolve(values.out),
    maxFileBytes: parseByteSize(values['file-size'], '--file-size'),
    maxFileMs: parseDuration(values['file-age'], '--file-age'),
    maxTotalBytes: parseByteSize(values.keep, '--keep'),
  };
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${text}"`);
  return port;
}

function requireBuiltView(): void {
  if (!existsSync(rendererDirectory)) throw new Error(`The view is not built (${rendererDirectory} is missing): run "npm run build" first.`);
}

function warnIfExposed(host: string): void {
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') console.warn(`Warning: listening on ${host}: anyone who can reach this address and has the URL below (it carries the access token) can watch the plant.`);
}

function onShutdown(stop: () => Promise<void>): void {
  exitOnSignal({ stop, log: logError, exit: (code) => process.exit(code) });
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...hostOptions, edit: { type: 'boolean' }, tours: { type: 'string' }, kiosk: { type: 'string' } }, strict: true });
  if (values.help) return void process.stdout.write(usage);
  openLog(values.log);
  requireBuiltView();
  // Checked before anything starts: an editor that cannot save would lose the user's work.
  if (values.edit) {
    if (values.plant === undefined) throw new Error('serve --edit needs --plant FILE: the demo plant is written by a script, not edited');
    checkPlantFileWritable(resolve(values.plant));
  }
  const port = portOf(values.port);
  const services = await startPlantServices({
    host: { plantFile: values.plant, brokerUrls: parseBrokerArguments(values.broker ?? []), simulate: values.simulate, recording: values['no-record'] ? null : recordingOptionsOf(values), log },
    edit: values.edit,
    toursFile: values.tours,
    recordingsFolder: values.out,
    log,
    logError,
  });
  const toursStore = services.toursStore;
  const kioskProblem = values.kiosk === undefined ? null : checkKioskTour(toursStore, values.kiosk);
  const server = await startViewServer({
    createViewSource: services.createViewSource,
    rendererDirectory,
    modelsDirectory: services.host.modelsDirectory,
    // Changed in place by the services when the plant changes: the server serves the model files of the plant running now.
    modelFiles: services.modelFiles,
    host: values.host,
    port,
    token: values.token,
    log: logError,
    incidentsDirectory: values['no-record'] ? undefined : join(resolve(values.out), incidentsFolderName),
  });
  services.onPlantApplied(() => server.reconnectViews('the plant file changed'));
  warnIfExposed(values.host);
  if (kioskProblem) logError(kioskProblem);
  log(`Viewpoints and tours are kept in ${toursStore.file}${toursStore.writable ? '' : ' (read-only: it or its folder cannot be written)'}`);
  console.log(`Twinline is serving ${services.host.source.describePlant().plant.name} at ${values.kiosk === undefined ? server.url : kioskUrl(server.url, values.kiosk)}`);
  onShutdown(async () => {
    await server.close();
    await services.stop();
  });
}

async function record(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: hostOptions, strict: true });
  if (values.help) return void process.stdout.write(usage);
  if (!values.plant) throw new Error('twinline record needs --plant FILE (and --broker URL unless the plant file gives every broker a url)');
  openLog(values.log);
  const recording = recordingOptionsOf(values);
  // Recording is for a real plant: a broker without a URL is a mistake to report, not a demo broker to start.
  const host = await startHost({ plantFile: values.plant, brokerUrls: parseBrokerArguments(values.broker ?? []), embedBrokers: false, simulate: values.simulate, recording, log });
  const report = setInterval(() => {
    const status = host.recorder?.status();
    if (!status) return;
    if (status.error) logError(status.error);
    else log(`recording ${status.file}: ${status.samplesTotal} samples, ${status.samplesPerSecond}/s, ${(status.bytes / 1e6).toFixed(1)} MB`);
  }, 10_000);
  const stopBrokerReport = startBrokerLogReport(host.source, log, logError);
  onShutdown(async () => {
    clearInterval(report);
    stopBrokerReport();
    await host.stop();
  });
}

async function open(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { host: hostOptions.host, port: hostOptions.port, token: hostOptions.token, log: hostOptions.log, help: hostOptions.help }, allowPositionals: true, strict: true });
  if (values.help) return void process.stdout.write(usage);
  const file = positionals[0];
  if (!file) throw new Error('twinline open needs the recording file to open');
  openLog(values.log);
  requireBuiltView();
  const opened = await openRecording(file, logError);
  // An incident package brings its tours: placed beside it, where an opened recording keeps them.
  placePackageTours(file, logError);
  const toursStore = recordingToursStore(file);
  const server = await startViewServer({
    createViewSource: () => withTours(opened.createViewSource(), toursStore),
    rendererDirectory,
    modelsDirectory: opened.modelsDirectory,
    modelFiles: plantModelFiles(opened.description.plant),
    host: values.host,
    port: portOf(values.port),
    token: values.token,
    log: logError,
    incidentsDirectory: join(dirname(resolve(file)), incidentsFolderName),
  });
  warnIfExposed(values.host);
  console.log(`Twinline is serving the recording ${file} at ${server.url}`);
  onShutdown(async () => {
    await server.close();
    opened.close();
  });
}

/** `twinline new`: a plant file to start from, with its broker and no machines, and how to open it. */
async function newPlant(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { broker: { type: 'string' }, name: { type: 'string' }, help: hostOptions.help }, allowPositionals: true, strict: true });
  if (values.help) return void process.stdout.write(usage);
  if (positionals.length > 1) throw new Error('twinline new takes one folder');
  if (values.broker === undefined) throw new Error('twinline new needs --broker URL, the broker the plant\'s telemetry comes from (e.g. mqtt://10.0.0.5:1883)');
  const file = writeNewPlant(positionals[0] ?? '.', { brokerUrl: values.broker, name: values.name });
  const shown = relative(process.cwd(), file) || file;
  console.log(`Wrote ${shown}: the broker ${redactUrl(values.broker)}, no machines yet, and a models folder beside it. Open it for editing with:\n  twinline serve --plant ${shown} --edit`);
}

/** A `--from`/`--to` time: ISO 8601 with Z or an offset, or ms since the epoch; never read in this machine's zone. */
function timeOf(text: string, option: string): number {
  try {
    return parseZonedTime(text);
  } catch (error) {
    if (error instanceof ZonedTimeError) throw new Error(`${option}: ${error.message}`);
    throw error;
  }
}

/** Creates `--out` for the export, never over an existing file; returns its descriptor. */
function createExportFile(file: string): number {
  try {
    return openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists: choose another name or remove it`);
    throw new Error(`Cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Prints the recording's time range and its signal keys, one a line with its unit (the plant file's, else the source's). */
function listRecording(reader: RecordingReader): void {
  const range = reader.timeRange();
  const sourceUnits = new Map(reader.signalMetadata().map((entry) => [entry.signal, entry.unit]));
  const plantUnits = new Map<string, string | undefined>(reader.plant.machines.flatMap((machine) => machine.signals.map((signal) => [`${machine.id}/${signal.id}`, signal.unit] as const)));
  const width = Math.max(0, ...reader.signalKeys.map((key) => key.length));
  const lines = [
    range.end > range.start || range.start > 0 ? `recorded from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}` : 'recorded nothing yet',
    `${reader.signalKeys.length} signals:`,
    ...reader.signalKeys.map((key, index) => `${key.padEnd(width)}  ${plantUnits.get(key) || sourceUnits.get(index) || ''}`.trimEnd()),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function exportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { signal: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, list: { type: 'boolean' }, alarms: { type: 'boolean' }, mcap: { type: 'string' }, help: hostOptions.help },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return void process.stdout.write(usage);
  const file = positionals[0];
  if (!file) throw new Error('twinline export needs the recording file');
  if (values.list && (values.signal || values.from || values.to || values.out || values.alarms)) throw new Error('twinline export --list takes only the recording file');
  if (values.alarms && values.signal) throw new Error('twinline export --alarms writes every alarm of the range; it takes no --signal');
  // Times are checked before the file is opened: a mistyped time is the user's to fix, whatever the file holds.
  const from = values.from === undefined ? undefined : timeOf(values.from, '--from');
  const to = values.to === undefined ? undefined : timeOf(values.to, '--to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new Error(`--from ${new Date(from).toISOString()} is later than --to ${new Date(to).toISOString()}: nothing to export (swap them?)`);
  }
  const reader = new RecordingReader(resolve(file));
  try {
    if (values.list) return listRecording(reader);
    const range = reader.timeRange();
    const start = from ?? range.start;
    const end = to ?? range.end;
    if (start > end) throw new Error(`--${from === undefined ? 'to' : 'from'} ${new Date(from ?? end).toISOString()} is outside the recording, which runs from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}: nothing to export`);
    if (values.mcap !== undefined) return await exportMcapCommand(reader, start, end, values.mcap, Boolean(values.signal || values.out || values.alarms));
    const signals = values.alarms ? [] : selectExportSignals(values.signal ?? [], reader.signalKeys, reader.plant.machines.map((machine) => machine.id), file);
    const target = values.out === undefined ? undefined : createExportFile(values.out);
    let rows = 0;
    try {
      const write = (chunk: string) => (target === undefined ? process.stdout.write(chunk) : writeSync(target, chunk));
      rows = values.alarms ? exportAlarmJournal(reader, start, end, write) : exportCsv(reader, signals, start, end, write);
    } catch (error) {
      // Half a CSV looks like a whole one: the file this export created goes, and the error says why.
      if (target !== undefined) {
        closeSync(target);
        rmSync(values.out!, { force: true });
      }
      throw error;
    }
    if (target !== undefined) {
      closeSync(target);
      console.error(`wrote ${rows} rows to ${values.out}`);
    }
    if (rows === 0) console.error(`No ${values.alarms ? 'alarm events' : 'samples of the chosen signals'} from ${new Date(start).toISOString()} to ${new Date(end).toISOString()}; the recording runs from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}.`);
  } finally {
    reader.close();
  }
}

async function models(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, lod: { type: 'boolean' }, ratio: { type: 'string' }, out: { type: 'string' }, help: hostOptions.help },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return void process.stdout.write(usage);
  if (values.lod) return writeLodModels(positionals, values.ratio, values.out);
  if (values.ratio !== undefined || values.out !== undefined) throw new Error('--ratio and --out go with --lod');
  if (positionals.length === 0) throw new Error('twinline models needs the model files (.glb or .gltf) to describe');
  const descriptions: ModelDescription[] = [];
  // One file after another, each printed as soon as it is described: a broken one never hides the rest.
  for (const file of positionals) {
    const description = await describeModel(file);
    descriptions.push(description);
    if (!values.json) process.stdout.write(`${descriptions.length > 1 ? '\n' : ''}${formatModelDescription(description)}`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(descriptions, null, 2)}\n`);
  if (descriptions.some(isModelBroken)) process.exitCode = 1;
}

/** `twinline models --lod`: one simplified file per model, each reported as it is written; a failed one never stops the rest. */
async function writeLodModels(files: string[], ratioText: string | undefined, out: string | undefined): Promise<void> {
  if (files.length === 0) throw new Error('twinline models --lod needs the model files (.glb or .gltf) to simplify');
  const ratio = ratioText === undefined ? undefined : Number(ratioText);
  if (ratio !== undefined && !(ratio > 0 && ratio <= 1)) throw new Error(`--ratio is the share of triangles to keep, above 0 and at most 1, not ${ratioText}`);
  if (out !== undefined && !existsSync(out)) throw new Error(`--out ${out} does not exist (make the folder first)`);
  // Loaded only here: the simplifier and glTF libraries are not needed by any other command.
  const { formatLodResult, writeLodModel } = await import('./write-lod-model.ts');
  for (const file of files) {
    const result = await writeLodModel(file, { ratio, directory: out });
    process.stdout.write(formatLodResult(result));
    if (result.problem !== undefined) process.exitCode = 1;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'models') return models(rest);
  if (command === 'topics') return void (process.exitCode = await topicsCommand(rest, (text) => process.stdout.write(text), logError));
  if (command === 'export') return exportCommand(rest);
  if (command === 'package') return void (process.exitCode = packageCommand(rest, (text) => process.stdout.write(text)));
  if (command === 'serve') return serve(rest);
  if (command === 'record') return record(rest);
  if (command === 'open') return open(rest);
  if (command === 'new') return newPlant(rest);
  if (command === undefined || command === '-h' || command === '--help') return void process.stdout.write(usage);
  throw new Error(`Unknown command "${command}".\n\n${usage}`);
}

// An error that reaches no handler is logged with its stack and ends the process with a code a
// supervisor (systemd, a service manager) restarts on; without one, nothing would say why it died.
installFatalErrorHandlers(logError);

main(process.argv.slice(2)).catch((error: unknown) => {
  logError(error instanceof PlantFileError || error instanceof Error ? error.message : String(error));
  process.exit(1);
});
