import { z } from 'zod';
import { compileJsonPath } from './decode-sample.ts';
import { forecastSettingsSchema } from './forecast/forecast-settings.ts';
import { shiftsSettingSchema } from './shift-settings.ts';

/** Identifiers used in topics, node names and URLs: kept to a safe alphabet. */
const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only, starting with a letter or digit');

const vector3 = z.tuple([z.number(), z.number(), z.number()]);

/** Alarm priorities, lowest first (ISA-18.2 keeps few, so that they order what an operator sees). */
export const alarmPriorities = ['low', 'medium', 'high', 'critical'] as const;
const alarmPriority = z.enum(alarmPriorities);

/** Health limits of one signal; any subset may be given. */
export const limitsSchema = z
  .object({
    lowAlarm: z.number().optional(),
    lowWarn: z.number().optional(),
    highWarn: z.number().optional(),
    highAlarm: z.number().optional(),
    deadband: z.number().min(0).default(0).describe('Hysteresis: a limit is left only once the value is this far back inside it.'),
    onDelay: z.number().min(0).default(0).describe('Seconds a limit must stay crossed before the state changes.'),
    priority: z
      .object({ lowAlarm: alarmPriority.optional(), lowWarn: alarmPriority.optional(), highWarn: alarmPriority.optional(), highAlarm: alarmPriority.optional() })
      .strict()
      .optional()
      .describe('Alarm priority of each limit (low, medium, high, critical); default high for alarm limits, medium for warning limits.'),
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

/** Where a Sparkplug B metric comes from: its edge node (and device, for a device metric) and its name. */
export const sparkplugBindingSchema = z
  .object({
    group: z.string().min(1).max(256).refine(isSparkplugIdElement, 'a Sparkplug group id: no "/", "+" or "#"'),
    node: z.string().min(1).max(256).refine(isSparkplugIdElement, 'a Sparkplug edge node id: no "/", "+" or "#"'),
    device: z.string().min(1).max(256).refine(isSparkplugIdElement, 'a Sparkplug device id: no "/", "+" or "#"').optional(),
    metric: z.string().min(1).max(1024).describe('The metric name as its birth certificate gives it, e.g. "Drive/Speed".'),
  })
  .strict();

/** One telemetry signal of a machine. */
export const signalSchema = z
  .object({
    id: identifier,
    name: z.string().optional(),
    topic: z
      .string()
      .min(1)
      .refine((topic) => !/[+#]/.test(topic), 'must be a concrete topic without wildcards')
      .optional()
      .describe('MQTT topic of a JSON payload; give either topic or sparkplug.'),
    sparkplug: sparkplugBindingSchema.optional().describe('Sparkplug B metric; give either topic or sparkplug.'),
    path: z
      .string()
      .refine(isJsonPath, 'a path like "data.temperature" or "values[2]"')
      .optional()
      .describe('Dotted path into the JSON payload, e.g. "data.temperature" or "values[2]"; absent: the payload itself, or its "value" field.'),
    states: z
      .record(z.string().min(1).max(256), z.number().finite())
      .optional()
      .describe('Text values and the numbers they stand for, e.g. { RUNNING: 1, IDLE: 0, FAULT: 2 }; other text is rejected and counted.'),
    scale: z.number().finite().default(1).describe('The value used is payload value × scale + offset.'),
    offset: z.number().finite().default(0),
    unit: z.string().default(''),
    period: z.number().positive().default(1).describe('Expected seconds between samples.'),
    staleAfter: z.number().positive().optional().describe('Seconds without a sample before the signal is stale; default 3 × period, at least 5.'),
    limits: limitsSchema.optional(),
    forecast: forecastSettingsSchema.optional().describe('Look ahead for this signal (over the plant\'s): horizon, window, enabled.'),
    broker: identifier.optional().describe('Id of the broker that carries this signal; default the first.'),
  })
  .strict()
  .superRefine((signal, context) => {
    if ((signal.topic === undefined) === (signal.sparkplug === undefined)) {
      context.addIssue({ code: 'custom', path: ['topic'], message: 'give either topic or sparkplug (one of them)' });
    }
    if (signal.sparkplug !== undefined && signal.path !== undefined) {
      context.addIssue({ code: 'custom', path: ['path'], message: 'a Sparkplug metric has no JSON path' });
    }
  });

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

/** Metres per unit of each length unit a model file may be drawn in. */
export const modelUnitMetres = { mm: 0.001, cm: 0.01, m: 1, in: 0.0254 } as const;

/**
 * Where a machine's shape comes from: a glTF file (or some of its nodes), converted to the plant's metres and
 * y-up axis, then turned and shifted to sit on the floor at the machine's position.
 */
export const modelSchema = z
  .object({
    file: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\.(glb|gltf)$/, 'a .glb or .gltf file name in the models folder (letters, digits, "_", "." and "-")')
      .describe('A .glb file, or a .gltf file with its .bin and textures beside it, in the models folder.'),
    lod: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\.(glb|gltf)$/, 'a .glb or .gltf file name in the models folder (letters, digits, "_", "." and "-")')
      .optional()
      .describe('A simplified copy of the file (as `twinline models --lod` writes it), drawn for machines far from the camera; absent: the view simplifies the model itself when it loads.'),
    node: z.string().min(1).optional().describe('The node that is this machine; absent (and no nodes): the whole file is the machine.'),
    nodes: z.array(z.string().min(1)).min(1).max(1000).optional().describe('Several nodes that together are this machine, kept where they are relative to each other.'),
    units: z.enum(['mm', 'cm', 'm', 'in']).optional().describe('The length unit the file was made in (glTF says metres; CAD exports often are not); give units or scale.'),
    scale: z.number().finite().positive().optional().describe('Factor from the file\'s units to metres; give units or scale (default 1).'),
    up: z.enum(['y', 'z']).default('y').describe('The file\'s up axis: glTF says y; CAD exports are often z up.'),
    rotation: z.number().finite().default(0).describe('Degrees about the vertical axis, after units and up are applied.'),
    offset: vector3.optional().describe('Metres to shift the model by, after units, up and rotation, e.g. to sit it on the floor.'),
    size: z
      .tuple([z.number().positive(), z.number().positive(), z.number().positive()])
      .optional()
      .describe('Width, height and depth in metres, for the placeholder box drawn while the model cannot be shown (default 2 m each).'),
  })
  .strict()
  .superRefine((model, context) => {
    if (model.node !== undefined && model.nodes !== undefined) context.addIssue({ code: 'custom', path: ['nodes'], message: 'give either node or nodes, not both' });
    if (model.units !== undefined && model.scale !== undefined) context.addIssue({ code: 'custom', path: ['scale'], message: 'give either units or scale, not both' });
  });

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

/** TLS settings of a broker; files are relative to the plant file. */
export const brokerTlsSchema = z
  .object({
    ca: z.string().min(1).optional().describe('PEM file of the certificate authority that signed the broker\'s certificate (a private CA).'),
    cert: z.string().min(1).optional().describe('PEM file of the client certificate, for a broker that requires one.'),
    key: z.string().min(1).optional().describe('PEM file of the client certificate\'s private key.'),
    servername: z.string().min(1).optional().describe('Name the broker\'s certificate must carry, when it differs from the URL\'s host.'),
    allowUntrusted: z.boolean().default(false).describe('Accept a certificate that cannot be verified. Insecure: shown as a warning wherever the broker is.'),
  })
  .strict()
  .superRefine((tls, context) => {
    if ((tls.cert === undefined) !== (tls.key === undefined)) context.addIssue({ code: 'custom', path: [tls.cert === undefined ? 'cert' : 'key'], message: 'give cert and key together' });
  });

/** How the host's MQTT session with a broker outlives a disconnection. */
export const brokerSessionSchema = z
  .object({
    persistent: z
      .boolean()
      .default(false)
      .describe('Keep the session while the host is away (clean: false, QoS 1 subscriptions): what was published meanwhile arrives on return. Needs a fixed clientId.'),
    expiry: z.number().int().min(0).max(4_294_967_295).default(3600).describe('MQTT 5: seconds the broker keeps a persistent session after the host left.'),
    qos: z.union([z.literal(0), z.literal(1)]).optional().describe('QoS of the subscriptions; default 1 for a persistent session, else 0.'),
  })
  .strict();

/** This host as a Sparkplug B host application on one broker. */
export const brokerSparkplugSchema = z
  .object({
    hostId: identifier.default('twinline').describe('Sparkplug host id: STATE birth and will go to spBv1.0/STATE/<hostId>.'),
    primary: z.boolean().default(false).describe('Whether this host is the edge nodes\' primary host application.'),
    reorderTimeout: z.number().positive().max(60).default(2).describe('Seconds a gap in seq may stay open before a rebirth is requested.'),
    rebirth: z.boolean().optional().describe('Send a Rebirth NCMD when a gap in seq is not filled in time; default on for a primary host, off otherwise.'),
  })
  .strict();

/** An MQTT broker the plant's telemetry comes from. */
export const brokerSchema = z
  .object({
    id: identifier,
    name: z.string().optional(),
    url: z
      .string()
      // A whole URL may be an environment reference, checked again once `serve` or `record` fills it in.
      .regex(/^((mqtts?|wss?|tcp|ssl):\/\/[^\s]+|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/, 'an mqtt://, mqtts://, ws:// or wss:// URL, or ${VARIABLE}')
      .optional()
      .describe('Absent: given at start with --broker ID=URL, or an embedded broker in the demo. ${NAME} in it is filled in from the environment.'),
    protocol: z.union([z.literal(4), z.literal(5)]).default(4).describe('MQTT protocol version: 4 is MQTT 3.1.1, 5 is MQTT 5.'),
    // The message names no value: an unquoted numeric password must not be echoed into a log.
    username: z.string({ error: 'must be text (put it in quotes)' }).optional(),
    password: z
      .string({ error: 'must be text (put it in quotes)' })
      .optional()
      .describe('Write ${ENVIRONMENT_VARIABLE} rather than the password itself; the desktop app can also keep it in the OS keychain.'),
    clientId: z.string().min(1).max(128).optional(),
    tls: brokerTlsSchema.optional(),
    session: brokerSessionSchema.optional(),
    sparkplug: brokerSparkplugSchema.optional().describe('Settings of this host as a Sparkplug B host application; defaults apply when a signal binds a Sparkplug metric.'),
  })
  .strict()
  .superRefine((broker, context) => {
    if (broker.session?.persistent && broker.clientId === undefined) {
      context.addIssue({ code: 'custom', path: ['clientId'], message: 'a persistent session needs a fixed clientId, so that the broker knows the host when it returns' });
    }
  });

/** The whole plant file (`plant.yaml`). */
export const plantSchema = z
  .object({
    name: z.string().min(1),
    brokers: z.array(brokerSchema).default([]),
    modelsDirectory: z.string().min(1).default('models').describe('Folder of the model files, relative to the plant file.'),
    maxPayloadBytes: z.number().int().positive().default(256 * 1024).describe('Larger payloads are counted and dropped.'),
    maxClockSkew: z
      .number()
      .positive()
      .default(300)
      .describe('Seconds a payload\'s own timestamp may differ from the host\'s clock; beyond that the receive time is used (and counted).'),
    forecast: forecastSettingsSchema
      .optional()
      .describe('Look ahead for every signal with limits: { horizon: 30 min, window: 10 min } by default; a signal\'s own forecast overrides it.'),
    shifts: shiftsSettingSchema
      .optional()
      .describe('The shifts the shift summary follows, each a name and its start as HH:MM on the view\'s chosen clock, lasting until the next starts: early 06:00, late 14:00, night 22:00 by default.'),
    // Empty is allowed: `twinline new` starts a plant with no machines, to be added in the editor.
    machines: z.array(machineSchema),
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
          const sparkplug = fieldOf(signal, 'sparkplug');
          let key: string;
          if (typeof topic === 'string') key = `${String(broker ?? '')}\u0000${topic}\u0000${String(fieldOf(signal, 'path') ?? '')}`;
          else if (sparkplug !== undefined && typeof sparkplug === 'object') {
            const part = (name: string) => String(fieldOf(sparkplug, name) ?? '');
            key = `${String(broker ?? '')}\u0001${part('group')}\u0000${part('node')}\u0000${part('device')}\u0000${part('metric')}`;
          } else return;
          const owner = topics.get(key);
          if (owner !== undefined) {
            context.addIssue({ code: 'custom', path: ['machines', machineIndex, 'signals', signalIndex, 'topic'], message: `${typeof topic === 'string' ? 'topic and path' : 'Sparkplug metric'} already used by ${owner}` });
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
/** A machine's validated model entry. */
export type ModelReference = z.output<typeof modelSchema>;
/** A validated animation binding. */
export type Animation = z.output<typeof animationSchema>;
/** An animation binding that sets a property. */
export type PropertyAnimation = z.output<typeof propertyAnimationSchema>;
/** An animation binding that spins a node. */
export type SpinAnimation = z.output<typeof spinAnimationSchema>;
/** A validated broker. */
export type Broker = Plant['brokers'][number];
/** A validated Sparkplug metric binding. */
export type SparkplugBinding = z.output<typeof sparkplugBindingSchema>;
/** A broker's validated TLS settings. */
export type BrokerTls = z.output<typeof brokerTlsSchema>;
/** A broker's validated session settings. */
export type BrokerSession = z.output<typeof brokerSessionSchema>;
/** A broker's validated Sparkplug host settings. */
export type BrokerSparkplug = z.output<typeof brokerSparkplugSchema>;

function isJsonPath(path: string): boolean {
  try {
    compileJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

/** Sparkplug ids are topic levels: no "/" and no wildcard. */
function isSparkplugIdElement(id: string): boolean {
  return !/[/+#]/.test(id);
}

/** The items of a list that may not have passed validation yet. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A field of an object that may not have passed validation yet. */
function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
