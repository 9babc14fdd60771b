import { afterEach, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../common/contract.ts';
import { Health } from '../common/health.ts';
import { parseBrokerArguments, startHost, type RunningHost } from './twinline-host.ts';

describe('parseBrokerArguments', () => {
  it('reads a bare URL as the first broker and ID=URL as a named one', () => {
    expect(parseBrokerArguments(['mqtt://10.0.0.5:1883', 'utilities=mqtts://gw:8883'])).toEqual({ '': 'mqtt://10.0.0.5:1883', utilities: 'mqtts://gw:8883' });
  });

  it('refuses what is neither', () => {
    expect(() => parseBrokerArguments(['10.0.0.5:1883'])).toThrow(/--broker takes URL or ID=URL/);
  });
});

describe('the demo host', () => {
  let host: RunningHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('runs out of the box: embedded brokers, simulated telemetry, every machine fresh within seconds', async () => {
    host = await startHost();
    const source = host.source;
    expect(source.describePlant().plant.machines.length).toBeGreaterThanOrEqual(24);
    const fresh = new Set<number>([Health.ok, Health.warn, Health.alarm]);
    await expect
      .poll(() => {
        const snapshot: FrameBatch = source.snapshot();
        return snapshot.machineHealth.filter((health) => fresh.has(health)).length;
      }, { timeout: 10_000, interval: 250 })
      .toBe(source.describePlant().plant.machines.length);
    expect(source.connections().map((connection) => [connection.brokerId, connection.state])).toEqual([
      ['mill', 'connected'],
      ['utilities', 'connected'],
    ]);
    expect(source.diagnostics().problemCounts).toEqual({ malformedPayload: 0, wrongType: 0, missingField: 0, unknownTopic: 0, oversizePayload: 0 });
  });
});
