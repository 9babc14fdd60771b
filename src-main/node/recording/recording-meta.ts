import { basename } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { redactPlantText } from '../../common/redact-secrets.ts';
import { isRecordedTime } from './recorded-time.ts';
import { messageOf, RecordingError } from './recording-error.ts';

/** A recording's meta values, each checked for its type and bounded in size before use. */
export interface RecordingMeta {
  plantText: string;
  plantFileName: string;
  /** The signal keys and broker ids as stored (JSON), checked against the plant by `recordedPlant`. */
  signalKeysText: string;
  brokerIdsText: string;
  chunkMs: number;
  /** When the file was made (ms since the epoch). */
  createdAt: number;
  /** The name of the file this one continues after a rollover. */
  continues: string | undefined;
  /** How far rollups hold every sample (0 before the first commit). */
  rollupsUntil: number;
}

/** The plant a recording embeds, and its signal and broker order: what every index in the file refers to. */
export interface RecordedPlant {
  plant: Plant;
  signalKeys: string[];
  brokerIds: string[];
}

/**
 * A plant as parsed from a recording's text, for the next file of the same plant: an identical text
 * (compared in full) is not parsed again. For a plant of 10,000 signals a parse takes one to two
 * seconds, which every export paid, opening its own readers of the files replay had open already.
 */
export interface ParsedPlant {
  plantText: string;
  plantFileName: string;
  plant: Plant;
}

const kib = 1024;
// Plant files are tens of kilobytes; a plant of 10,000 signals is about 2 MiB of YAML.
const maxPlantTextBytes = 8 * kib * kib;
// Every key appears in the plant text, so the list of them is at most about twice as long.
const maxSignalKeysBytes = 2 * maxPlantTextBytes + kib;
const maxBrokerIdsBytes = 256 * kib;
const maxBrokers = 10_000;
const maxNameBytes = 1024;
/** Chunks are 10 s by default; anything from a millisecond to a day reads correctly. */
const maxChunkMs = 86_400_000;

/**
 * Reads and checks the meta values every reader needs (not the plant: see `recordedPlant`). A value of
 * the wrong type, too long, or out of its range refuses the file: meta is what every other row is
 * read by. Throws a RecordingError naming the key.
 */
export function readRecordingMeta(database: DatabaseSync, file: string): RecordingMeta {
  const statement = database.prepare(
    "SELECT typeof(value) AS type, octet_length(value) AS bytes, CASE WHEN typeof(value) = 'text' AND octet_length(value) <= ? THEN value END AS value FROM meta WHERE key = ?",
  );
  const text = (key: string, maxBytes: number, required: boolean): string | undefined => {
    const row = statement.get(maxBytes, key) as { type: string; bytes: number; value: string | null } | undefined;
    if (!row) {
      if (required) throw new RecordingError(file, `its meta has no ${key}`);
      return undefined;
    }
    if (row.type !== 'text') throw new RecordingError(file, `its meta ${key} is ${row.type}, not text`);
    if (row.value === null) throw new RecordingError(file, `its meta ${key} is ${row.bytes} bytes long, more than ${maxBytes}`);
    return row.value;
  };
  const format = text('format', maxNameBytes, false);
  if (format !== undefined && format !== 'twinline-recording') throw new RecordingError(file, `its meta format is "${format.slice(0, 64)}"`);
  const plantText = text('plantText', maxPlantTextBytes, false);
  if (plantText === undefined) throw new RecordingError(file, 'it has no embedded plant');
  const plantFileName = text('plantFileName', maxNameBytes, false) ?? 'plant.yaml';
  const chunkMs = Number(wholeNumber(text('chunkMs', 16, true)!));
  if (!(chunkMs >= 1 && chunkMs <= maxChunkMs)) throw new RecordingError(file, `its meta chunkMs is not a length of time from 1 to ${maxChunkMs} ms`);
  const createdText = text('createdAt', 64, true)!;
  const createdAt = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(createdText) ? Date.parse(createdText) : Number.NaN;
  if (!isRecordedTime(createdAt)) throw new RecordingError(file, `its meta createdAt is not a time ("${createdText.slice(0, 64)}")`);
  const continues = text('continues', maxNameBytes, false);
  if (continues !== undefined && (continues === '' || basename(continues) !== continues || continues.includes('\\'))) {
    throw new RecordingError(file, 'its meta continues is not a file name');
  }
  const endTime = text('endTime', 32, false);
  if (endTime !== undefined && !isRecordedTime(wholeNumber(endTime))) throw new RecordingError(file, `its meta endTime is not a time ("${endTime}")`);
  const rollupsUntil = parseRollupsUntil(text('rollupsUntil', 32, false), file);
  return {
    // Credentials never leave a recording, also one made before they were taken out on writing.
    plantText: redactPlantText(plantText),
    plantFileName,
    signalKeysText: text('signalKeys', maxSignalKeysBytes, true)!,
    brokerIdsText: text('brokerIds', maxBrokerIdsBytes, true)!,
    chunkMs,
    createdAt,
    continues,
    rollupsUntil,
  };
}

/** The meta value rollupsUntil: absent before the first commit (nothing is rolled up), else a time. */
export function parseRollupsUntil(text: string | null | undefined, file: string): number {
  if (text === undefined || text === null) return 0;
  const until = wholeNumber(text);
  if (!isRecordedTime(until)) throw new RecordingError(file, `its meta rollupsUntil is not a time ("${text.slice(0, 32)}")`);
  return until;
}

/**
 * Parses the embedded plant and checks the signal keys and broker ids against it: signal keys must be
 * the plant's `machine/signal` in order, as every signal index in the file refers to them.
 */
export function recordedPlant(meta: RecordingMeta, file: string, parsed?: ParsedPlant): RecordedPlant {
  let plant: Plant;
  if (parsed !== undefined && parsed.plantText === meta.plantText && parsed.plantFileName === meta.plantFileName) {
    plant = parsed.plant;
  } else {
    try {
      plant = parsePlantOrThrow(meta.plantText, basename(meta.plantFileName) || 'plant.yaml');
    } catch (error) {
      throw new RecordingError(file, `its embedded plant is invalid: ${messageOf(error)}`);
    }
  }
  const expectedKeys = signalOrder(plant).keys;
  const signalKeys = parseJson(meta.signalKeysText, 'signalKeys', file);
  if (!Array.isArray(signalKeys) || signalKeys.length !== expectedKeys.length || signalKeys.some((key, index) => key !== expectedKeys[index])) {
    throw new RecordingError(file, `its signal keys are not the ${expectedKeys.length} signals of its plant, in order`);
  }
  const brokerIds = parseJson(meta.brokerIdsText, 'brokerIds', file);
  if (!Array.isArray(brokerIds) || brokerIds.length > maxBrokers || brokerIds.some((id) => typeof id !== 'string' || id.length > maxNameBytes)) {
    throw new RecordingError(file, 'its broker ids are not a list of names');
  }
  return { plant, signalKeys: expectedKeys, brokerIds: brokerIds as string[] };
}

function parseJson(text: string, key: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RecordingError(file, `its meta ${key} is not JSON (${messageOf(error)})`);
  }
}

/** A decimal whole number as written by `String(number)`, else NaN (also for text like "1e3" or " 5"). */
function wholeNumber(text: string): number {
  return /^-?\d{1,17}$/.test(text) ? Number(text) : Number.NaN;
}
