import { z } from 'zod';
import { compileJsonPath } from './decode-sample.ts';

/** Identifiers used in topics, node names and URLs: kept to a safe alphabet. */
const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only, starting with a letter or digit');

const vector3 = z.tuple([z.number(), z.number(), z.number()]);

/** Health limits of one signal; any subset may be given. */
export const limitsSchema = z
  .object({
    lowAlarm: z.number().optional(),
    lowWarn: z.number().optional(),
    highWarn: z.number().optional(),
    highAlarm: z.number().optional(),
    deadband: z.number().min(0).default(0).describe('Hysteresis: a limit is left only once the value is this far back inside it.'),
    onDelay: z.number().min(0).default(0).describe('Seconds a limit must stay crossed before the state changes.'),
  })
  .strict()
  .superRefine((limits, context) => {
    const ordered: Array<[string, number | undefined]> = [
      ['lowAlarm', limits.lowAlarm],
      ['lowWarn', limits.lowWarn],
      ['highWarn', limits.highWarn],
      ['highAlarm', limits.highAlarm],
    ];
    const present = ordered.filter((entry): entry is [string, number] => entry[1] !== undefined);
    for (let index = 1; index < present.length; index++) {
      const [previousName, previousValue] = present[index - 1]!;
      const [name, value] = present[index]!;
      if (value < previousValue) {
        context.addIssue({ code: 'custom', path: [name], message: `must not be below ${previousName} (${previousValue})` });
      }
    }
  });

/** One telemetry signal of a machine. */
export const signalSchema = z
  .object({
    id: identifier,
    name: z.string().optional(),
    topic: z
      .string()
      .min(1)
      .refine((topic) => !/[+#]/.test(topic), 'must be a concrete topic without wildcards'),
    path: z
      .string()
      .refine(isJsonPath, 'a path like "data.temperature" or "values[2]"')
      .optional()
      .describe('Dotted path into the JSON payload, e.g. "data.temperature" or "values[2]"; absent: the payload itself, or its "value" field.'),
    unit: z.string().default(''),
    period: z.number().positive().default(1).describe('Expected seconds between samples.'),
    staleAfter: z.number().positive().optional().describe('Seconds without a sample before the signal is stale; default 3 × period, at least 5.'),
    limits: limitsSchema.optional(),
    broker: identifier.optional().describe('Id of the broker that carries this signal; default the first.'),
  })
  .strict();

const primitiveSchema = z
  .object({
    shape: z.enum(['box', 'cylinder', 'sphere']),
    size: vector3.default([1, 1, 1]),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#8899aa"')
      .default('#8a9099'),
  })
  .strict();

const modelSchema = z
  .object({
    file: z.string().regex(/^[A-Za-z0-9_.-]+\.glb$/, 'a .glb file name in the models folder'),
    node: z.string().min(1),
  })
  .strict();

const animatedProperty = z.enum([
  'position.x',
  'position.y',
  'position.z',
  'rotation.x',
  'rotation.y',
  'rotation.z',
  'scale.x',
  'scale.y',
  'scale.z',
  'scale',
  'visible',
]);

/** A node property driven by a signal: property = value × scale + offset (clamped when min/max are given). */
export const propertyAnimationSchema = z
  .object({
    node: z.string().min(1),
    property: animatedProperty,
    signal: identifier,
    scale: z.number().default(1),
    offset: z.number().default(0),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();

/** A node spinning about an axis at a speed read from a rate signal: radians/s = value × scale. */
export const spinAnimationSchema = z
  .object({
    node: z.string().min(1),
    spin: z.enum(['x', 'y', 'z']),
    signal: identifier,
    scale: z.number().default(1),
  })
  .strict();

export const animationSchema = z.union([propertyAnimationSchema, spinAnimationSchema]);

/** One machine of the plant. */
export const machineSchema = z
  .object({
    id: identifier,
    name: z.string().min(1),
    kind: z.string().optional(),
    area: z.string().min(1).describe('ISA-95 area, e.g. "Melt shop".'),
    line: z.string().min(1).describe('ISA-95 line or work centre within the area.'),
    model: modelSchema.optional(),
    primitive: primitiveSchema.optional(),
    position: vector3.default([0, 0, 0]),
    rotation: z.number().default(0).describe('Degrees about the vertical axis.'),
    signals: z.array(signalSchema).default([]),
    animations: z.array(animationSchema).default([]),
  })
  .strict()
  .superRefine(
    (machine, context) => {
      if (machine.model && machine.primitive) {
        context.addIssue({ code: 'custom', path: ['primitive'], message: 'give either model or primitive, not both' });
      }
      if (!machine.model && !machine.primitive) {
        context.addIssue({ code: 'custom', path: ['model'], message: 'required (or give a primitive)' });
      }
      const signalIds = new Set<string>();
      listOf(machine.signals).forEach((signal, index) => {
        const id = fieldOf(signal, 'id');
        if (typeof id !== 'string') return;
        if (signalIds.has(id)) context.addIssue({ code: 'custom', path: ['signals', index, 'id'], message: `duplicate signal id "${id}"` });
        signalIds.add(id);
      });
      listOf(machine.animations).forEach((animation, index) => {
        const signal = fieldOf(animation, 'signal');
        if (typeof signal === 'string' && !signalIds.has(signal)) {
          context.addIssue({ code: 'custom', path: ['animations', index, 'signal'], message: `no signal "${signal}" on this machine` });
        }
      });
    },
    // Cross-references are checked even when fields have errors, so one pass lists every problem.
    { when: () => true },
  );

/** An MQTT broker the plant's telemetry comes from. */
export const brokerSchema = z
  .object({
    id: identifier,
    name: z.string().optional(),
    url: z
      .string()
      .regex(/^(mqtts?|wss?|tcp):\/\/[^\s]+$/, 'an mqtt://, mqtts://, ws:// or wss:// URL')
      .optional()
      .describe('Absent: given at start with --broker ID=URL, or an embedded broker in the demo.'),
    // The message names no value: an unquoted numeric password must not be echoed into a log.
    username: z.string({ error: 'must be text (put it in quotes)' }).optional(),
    password: z.string({ error: 'must be text (put it in quotes)' }).optional(),
    clientId: z.string().optional(),
  })
  .strict();

/** The whole plant file (`plant.yaml`). */
export const plantSchema = z
  .object({
    name: z.string().min(1),
    brokers: z.array(brokerSchema).default([]),
    modelsDirectory: z.string().min(1).default('models').describe('Folder of the model files, relative to the plant file.'),
    maxPayloadBytes: z.number().int().positive().default(256 * 1024).describe('Larger payloads are counted and dropped.'),
    machines: z.array(machineSchema).min(1),
  })
  .strict()
  .superRefine(
    (plant, context) => {
      const machineIds = new Set<string>();
      const topics = new Map<string, string>();
      const brokerIds = new Set(listOf(plant.brokers).map((broker) => fieldOf(broker, 'id')));
      listOf(plant.machines).forEach((machine, machineIndex) => {
        const machineId = fieldOf(machine, 'id');
        if (typeof machineId === 'string' && machineIds.has(machineId)) {
          context.addIssue({ code: 'custom', path: ['machines', machineIndex, 'id'], message: `duplicate machine id "${machineId}"` });
        }
        if (typeof machineId === 'string') machineIds.add(machineId);
        listOf(fieldOf(machine, 'signals')).forEach((signal, signalIndex) => {
          const broker = fieldOf(signal, 'broker');
          const topic = fieldOf(signal, 'topic');
          if (broker !== undefined && !brokerIds.has(broker)) {
            context.addIssue({ code: 'custom', path: ['machines', machineIndex, 'signals', signalIndex, 'broker'], message: `no broker "${String(broker)}"` });
          }
          if (typeof topic !== 'string') return;
          const key = `${String(broker ?? '')}\u0000${topic}\u0000${String(fieldOf(signal, 'path') ?? '')}`;
          const owner = topics.get(key);
          if (owner !== undefined) {
            context.addIssue({ code: 'custom', path: ['machines', machineIndex, 'signals', signalIndex, 'topic'], message: `topic and path already used by ${owner}` });
          }
          topics.set(key, `${String(machineId)}/${String(fieldOf(signal, 'id'))}`);
        });
      });
    },
    { when: () => true },
  );

/** A plant as written in the file, before defaults. */
export type PlantInput = z.input<typeof plantSchema>;
/** A validated plant with every default filled in. */
export type Plant = z.output<typeof plantSchema>;
/** A validated machine. */
export type Machine = Plant['machines'][number];
/** A validated signal. */
export type Signal = Machine['signals'][number];
/** Validated health limits. */
export type Limits = z.output<typeof limitsSchema>;
/** A validated animation binding. */
export type Animation = z.output<typeof animationSchema>;
/** An animation binding that sets a property. */
export type PropertyAnimation = z.output<typeof propertyAnimationSchema>;
/** An animation binding that spins a node. */
export type SpinAnimation = z.output<typeof spinAnimationSchema>;
/** A validated broker. */
export type Broker = Plant['brokers'][number];

function isJsonPath(path: string): boolean {
  try {
    compileJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

/** The items of a list that may not have passed validation yet. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A field of an object that may not have passed validation yet. */
function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
