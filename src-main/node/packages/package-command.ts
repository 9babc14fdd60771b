import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseZonedTime, ZonedTimeError } from '../../common/parse-zoned-time.ts';
import { toursFileFor } from '../tours/tours-file.ts';
import { packageLimits } from './package-info.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

/** The command line's help for `twinline package`. */
export const packageUsage = `  twinline package FILE --from TIME --to TIME --out INCIDENT.twinline [--title T] [--summary S] [--tours FILE]
                                      one self-contained recording of the range for investigators: the
                                      state at --from, every event to --to and nothing else, the plant,
                                      its models, the annotations, a title, a summary and the tours
                                      (--tours FILE, else FILE's own .tours.yaml if there is one);
                                      opens with twinline open, offline
`;

/** `twinline package`: writes an incident package and says what it holds. Returns the exit code. */
export function packageCommand(args: string[], print: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, summary: { type: 'string' }, tours: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    print(`Usage:\n${packageUsage}`);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error('twinline package needs one recording file');
  if (values.from === undefined || values.to === undefined) throw new Error('twinline package needs --from and --to: the range of the incident');
  if (values.out === undefined) throw new Error('twinline package needs --out, the package file to write');
  const from = timeOf(values.from, '--from');
  const to = timeOf(values.to, '--to');
  if (from > to) throw new Error(`--from ${new Date(from).toISOString()} is later than --to ${new Date(to).toISOString()}: nothing to package (swap them?)`);
  // The recording's own tours (kept beside it by `twinline open`) unless a tours file is named.
  const toursFile = values.tours ?? toursFileFor(resolve(file));
  const toursText = values.tours !== undefined || existsSync(toursFile) ? readBoundedText(toursFile, packageLimits.toursBytes) : undefined;
  const result = writeIncidentPackage(resolve(file), resolve(values.out), { from, to, title: values.title, summary: values.summary, toursText });
  print(`Wrote ${values.out}: ${new Date(result.from).toISOString()} to ${new Date(result.to).toISOString()}, ${result.samples} samples, ${result.alarmRows} alarm events, ${result.annotations} annotations, ${result.models} model files${toursText === undefined ? '' : ', the tours'}.\n`);
  return 0;
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

/** A text file of at most `maxBytes`; throws naming the file when it is larger or cannot be read. */
function readBoundedText(file: string, maxBytes: number): string {
  const descriptor = openSync(file, 'r');
  try {
    if (fstatSync(descriptor).size > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(maxBytes + 1);
    const read = readSync(descriptor, buffer, 0, buffer.length, 0);
    if (read > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}
