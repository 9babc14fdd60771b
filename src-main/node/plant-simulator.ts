import mqtt, { type MqttClient } from 'mqtt';
import { compileJsonPath, type JsonPath } from '../common/decode-sample.ts';
import { operatingPoint } from '../common/operating-point.ts';
import type { Plant, Signal } from '../common/plant-schema.ts';
import { seededRandom } from '../common/seeded-random.ts';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';
import { SparkplugEdgeNode } from './sparkplug-edge-node.ts';
import { slowRampSignal, slowRampWeight } from './forecast/slow-ramp.ts';

/** Kinds of fault the simulator stages so that every health state shows up. */
export type FaultKind = 'overheat' | 'vibration' | 'silence';

interface SimulatedSignal {
  signal: Signal;
  path: JsonPath | undefined;
  nominal: number;
  noise: number;
  driftAmplitude: number;
  driftPeriodSeconds: number;
  phase: number;
  /** Where a staged fault pushes the value: past the alarm limit, or into the warn band. */
  alarmTarget: number | undefined;
  warnTarget: number | undefined;
}

interface Fault {
  kind: FaultKind;
  machineIndex: number;
  signalIndex: number;
  startedAt: number;
  durationSeconds: number;
}

/**
 * Publishes realistic telemetry for any plant: each signal wanders around an operating point taken
 * from its limits, with noise and slow drift; now and then a machine overheats, vibrates or falls silent.
 */
export class PlantSimulator {
  private readonly plant: Plant;
  private readonly random: () => number;
  private readonly machines: SimulatedSignal[][];
  private readonly clients = new Map<string, MqttClient>();
  private firstBrokerId = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly faults: Fault[] = [];
  private nextFaultAt = 0;
  private readonly startedAt = Date.now();
  private readonly lastPublished = new Map<string, number>();
  private readonly stagedOpening: FaultKind[] = ['overheat', 'silence', 'vibration'];
  /** Publish the Sparkplug-bound signals. */
  private edgeNodes: SparkplugEdgeNode[] = [];
  /** The signal that climbs slowly toward its alarm limit (and its machine is spared other faults), so the look ahead shows. */
  private readonly slowRamp: { machineIndex: number; signalIndex: number } | undefined;

  constructor(plant: Plant, seed = 7) {
    this.plant = plant;
    this.random = seededRandom(seed);
    this.machines = plant.machines.map((machine) => machine.signals.map((signal) => this.simulate(signal)));
    this.slowRamp = slowRampSignal(plant);
  }

  /** Connects to every broker the plant's signals use and starts publishing. */
  async start(brokers: BrokerEndpoint[]): Promise<void> {
    this.firstBrokerId = brokers[0]?.id ?? '';
    await Promise.all(
      brokers.map(async (broker) => {
        // Keeps retrying through outages; QoS 0 samples are not queued meanwhile, as a sensor would lose them.
        const client = await mqtt.connectAsync(broker.url, { clientId: `twinline-simulator-${broker.id}-${process.pid}`, reconnectPeriod: 1000, queueQoSZero: false });
        client.on('error', () => undefined);
        this.clients.set(broker.id, client);
      }),
    );
    this.edgeNodes = SparkplugEdgeNode.forPlant(this.plant, brokers, (machineIndex, signalIndex, now) => this.valueFor(machineIndex, signalIndex, now));
    this.edgeNodes.forEach((node) => node.start());
    this.nextFaultAt = Date.now() + 2000;
    this.timer = setInterval(() => this.tick(), 100);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.edgeNodes.map((node) => node.stop()));
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.endAsync(true)));
  }

  /** Faults in progress, for logs and tests. */
  activeFaults(): Array<{ kind: FaultKind; machineId: string; signalId: string }> {
    return this.faults.map((fault) => ({
      kind: fault.kind,
      machineId: this.plant.machines[fault.machineIndex]!.id,
      signalId: this.plant.machines[fault.machineIndex]!.signals[fault.signalIndex]!.id,
    }));
  }

  /** A signal's value now, or undefined while its machine is silent: what a Sparkplug edge node publishes for it. */
  valueFor(machineIndex: number, signalIndex: number, now: number): number | undefined {
    if (this.faults.some((fault) => fault.machineIndex === machineIndex && fault.kind === 'silence')) return undefined;
    return this.valueOf(this.machines[machineIndex]![signalIndex]!, machineIndex, signalIndex, now);
  }

  private simulate(signal: Signal): SimulatedSignal {
    const { nominal, span } = operatingPoint(signal.limits);
    const limits = signal.limits;
    const alarmTarget = limits?.highAlarm !== undefined ? limits.highAlarm + span * 0.1 : limits?.lowAlarm !== undefined ? limits.lowAlarm - span * 0.1 : undefined;
    const warnTarget =
      limits?.highWarn !== undefined && limits.highAlarm !== undefined
        ? (limits.highWarn + limits.highAlarm) / 2
        : limits?.lowWarn !== undefined && limits.lowAlarm !== undefined
          ? (limits.lowWarn + limits.lowAlarm) / 2
          : undefined;
    return {
      signal,
      path: signal.path === undefined ? undefined : compileJsonPath(signal.path),
      nominal,
      noise: span * 0.03,
      driftAmplitude: limits ? span * 0.25 : span,
      driftPeriodSeconds: 20 + this.random() * 40,
      phase: this.random() * Math.PI * 2,
      alarmTarget,
      warnTarget,
    };
  }

  private tick(): void {
    const now = Date.now();
    this.updateFaults(now);
    this.plant.machines.forEach((_, machineIndex) => {
      if (this.faults.some((fault) => fault.machineIndex === machineIndex && fault.kind === 'silence')) return;
      this.publishMachine(machineIndex, now);
    });
  }

  private publishMachine(machineIndex: number, now: number): void {
    // Signals that share a topic travel in one document, each at its path.
    const documents = new Map<string, { period: number; body: unknown; broker: string }>();
    this.machines[machineIndex]!.forEach((simulated, signalIndex) => {
      const value = this.valueOf(simulated, machineIndex, signalIndex, now);
      const topic = simulated.signal.topic;
      // Sparkplug-bound signals are published by the simulated edge node instead.
      if (topic === undefined) return;
      const entry = documents.get(topic) ?? { period: simulated.signal.period, body: simulated.path ? {} : undefined, broker: simulated.signal.broker ?? this.firstBrokerId };
      entry.period = Math.min(entry.period, simulated.signal.period);
      entry.body = simulated.path ? setAtPath(entry.body, simulated.path, value) : { value, ts: now };
      documents.set(topic, entry);
    });
    for (const [topic, { period, body, broker }] of documents) {
      // Publish at the signal's own rate, held between 1 and 10 Hz.
      const interval = Math.min(1000, Math.max(100, period * 1000));
      if (now - (this.lastPublished.get(topic) ?? 0) < interval - 5) continue;
      this.lastPublished.set(topic, now);
      const client = this.clients.get(broker);
      if (client?.connected) client.publish(topic, JSON.stringify(body), { qos: 0 });
    }
  }

  private valueOf(simulated: SimulatedSignal, machineIndex: number, signalIndex: number, now: number): number {
    const seconds = (now - this.startedAt) / 1000;
    const drift = Math.sin((seconds / simulated.driftPeriodSeconds) * Math.PI * 2 + simulated.phase) * simulated.driftAmplitude;
    const noise = (this.random() - 0.5) * 2 * simulated.noise;
    let value = simulated.nominal + drift + noise;
    if (this.slowRamp?.machineIndex === machineIndex && this.slowRamp.signalIndex === signalIndex && simulated.alarmTarget !== undefined) {
      // A steady climb with a little wander: a trend that stands out of the noise long before the alarm.
      value = simulated.nominal + drift * 0.08 + noise + (simulated.alarmTarget - simulated.nominal) * slowRampWeight(seconds);
    }
    const fault = this.faults.find((candidate) => candidate.machineIndex === machineIndex && candidate.signalIndex === signalIndex);
    if (fault && fault.kind !== 'silence') {
      const target = fault.kind === 'overheat' ? simulated.alarmTarget : simulated.warnTarget;
      if (target !== undefined) {
        // Ramp up over the first 40 %, hold, ramp back over the last 20 %.
        const progress = (now - fault.startedAt) / (fault.durationSeconds * 1000);
        const weight = progress < 0.4 ? progress / 0.4 : progress > 0.8 ? Math.max(0, (1 - progress) / 0.2) : 1;
        value = value + (target - value) * weight;
      }
    }
    return Math.round(value * 1000) / 1000;
  }

  private updateFaults(now: number): void {
    for (let index = this.faults.length - 1; index >= 0; index--) {
      const fault = this.faults[index]!;
      if (now - fault.startedAt > fault.durationSeconds * 1000) this.faults.splice(index, 1);
    }
    if (now < this.nextFaultAt || this.faults.length >= 3) return;
    const opening = this.stagedOpening.length > 0;
    const kind = this.stagedOpening.shift() ?? (['overheat', 'vibration', 'silence'] as const)[Math.floor(this.random() * 3)]!;
    const fault = this.pickFault(kind, now, opening);
    if (fault) this.faults.push(fault);
    this.nextFaultAt = now + (this.stagedOpening.length > 0 ? 3000 : 8000 + this.random() * 10_000);
  }

  /** Picks a machine and signal for a fault; the opening faults stay on the first broker, which never has an outage. */
  private pickFault(kind: FaultKind, now: number, onFirstBroker: boolean): Fault | undefined {
    const candidates: Array<{ machineIndex: number; signalIndex: number }> = [];
    this.machines.forEach((signals, machineIndex) => {
      if (this.faults.some((fault) => fault.machineIndex === machineIndex)) return;
      if (this.slowRamp?.machineIndex === machineIndex) return;
      if (onFirstBroker && signals.some((simulated) => (simulated.signal.broker ?? this.firstBrokerId) !== this.firstBrokerId)) return;
      signals.forEach((simulated, signalIndex) => {
        const fits = kind === 'silence' ? signalIndex === 0 : kind === 'overheat' ? simulated.alarmTarget !== undefined : simulated.warnTarget !== undefined;
        if (fits) candidates.push({ machineIndex, signalIndex });
      });
    });
    if (candidates.length === 0) return undefined;
    const choice = candidates[Math.floor(this.random() * candidates.length)]!;
    const durationSeconds = kind === 'silence' ? 30 : kind === 'overheat' ? 40 : 35;
    return { kind, ...choice, startedAt: now, durationSeconds };
  }
}

/** Returns `body` with `value` written at `path`, creating objects and arrays on the way. */
function setAtPath(body: unknown, path: JsonPath, value: number): unknown {
  const root: Record<string | number, unknown> = body !== null && typeof body === 'object' ? (body as Record<string | number, unknown>) : {};
  let node: Record<string | number, unknown> = root;
  path.forEach((step, position) => {
    if (position === path.length - 1) {
      node[step] = value;
      return;
    }
    const nextIsIndex = typeof path[position + 1] === 'number';
    if (node[step] === undefined || node[step] === null || typeof node[step] !== 'object') node[step] = nextIsIndex ? [] : {};
    node = node[step] as Record<string | number, unknown>;
  });
  return root;
}
