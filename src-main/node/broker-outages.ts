import type { EmbeddedBroker } from './embedded-broker.ts';

/** When outages happen: the first soon after start, then one per period, each lasting `durationMs`. */
export interface OutageSchedule {
  firstAfterMs: number;
  periodMs: number;
  durationMs: number;
}

const demoSchedule: OutageSchedule = { firstAfterMs: 25_000, periodMs: 60_000, durationMs: 12_000 };

/**
 * Takes the demo's secondary brokers down now and then and brings them back, so that the demo
 * shows machines going offline and the viewer reconnecting, not only limit violations.
 */
export class BrokerOutages {
  private readonly targets: Array<{ id: string; broker: EmbeddedBroker }>;
  private readonly log: (line: string) => void;
  private readonly schedule: OutageSchedule;
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private next = 0;

  constructor(targets: Array<{ id: string; broker: EmbeddedBroker }>, log: (line: string) => void, schedule: OutageSchedule = demoSchedule) {
    this.targets = targets;
    this.log = log;
    this.schedule = schedule;
  }

  start(): void {
    this.after(this.schedule.firstAfterMs, () => this.outage());
  }

  stop(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }

  private outage(): void {
    const target = this.targets[this.next++ % this.targets.length]!;
    this.log(`demo: broker "${target.id}" goes down for ${this.schedule.durationMs / 1000} s`);
    void target.broker.interrupt();
    this.after(this.schedule.durationMs, () => {
      this.log(`demo: broker "${target.id}" is back`);
      void target.broker.resume();
    });
    this.after(this.schedule.periodMs, () => this.outage());
  }

  private after(delayMs: number, action: () => void): void {
    const timer = setTimeout(action, delayMs);
    timer.unref?.();
    this.timers.push(timer);
  }
}
