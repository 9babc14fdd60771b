import { stringify } from 'yaml';
import type { Plant } from '../../common/plant-schema.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';

/**
 * Plant files for tests, from only what a test is about: each machine stands in area A, line L as a
 * box named after its id unless the test says otherwise, and the rest is the plant file's own fields.
 */

/** A signal as the plant file writes it: `id` and any other of its fields (topic or sparkplug, limits, unit …). */
export type TestSignal = { id: string } & Record<string, unknown>;

/** A machine of a test plant: `name` defaults to the id with a capital, `area` to A, `line` to L, the look to a box. */
export interface TestMachine {
  id: string;
  name?: string;
  area?: string;
  line?: string;
  /** `{ shape: … }`, or a `model` in `fields` instead. */
  primitive?: Record<string, unknown>;
  /** Any other machine fields (`model`, `animations` …), written after the ones above. */
  fields?: Record<string, unknown>;
  signals: TestSignal[];
}

/** What a test plant holds: its name, plant-wide settings, brokers and machines. */
export interface TestPlant {
  name: string;
  /** Plant-wide fields such as `maxPayloadBytes` or `maxClockSkew`, written before the brokers. */
  settings?: Record<string, unknown>;
  /** Absent: the plant names no broker (a test gives the live source a default URL). */
  brokers?: Array<{ id: string } & Record<string, unknown>>;
  machines: TestMachine[];
}

/** A broker no test connects to (port 9, discard): for plants that are only recorded, replayed or exported. */
export const unusedBroker = { id: 'line', url: 'mqtt://127.0.0.1:9' } as const;

/** The plant file's YAML text of `plant`, with each machine's defaults filled in. */
export function testPlantText(plant: TestPlant): string {
  const machines = plant.machines.map(({ id, name, area, line, primitive, fields, signals }) => ({
    id,
    name: name ?? `${id.charAt(0).toUpperCase()}${id.slice(1)}`,
    area: area ?? 'A',
    line: line ?? 'L',
    ...(fields?.model === undefined ? { primitive: primitive ?? { shape: 'box' } } : {}),
    ...fields,
    signals,
  }));
  return stringify({ name: plant.name, ...plant.settings, ...(plant.brokers ? { brokers: plant.brokers } : {}), machines });
}

/** `plant` parsed as the host parses a plant file; throws with the parser's message when it is not valid. */
export function testPlant(plant: TestPlant): Plant {
  return parsePlantOrThrow(testPlantText(plant));
}
