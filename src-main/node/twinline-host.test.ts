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

describe('what views are told of the plant', () => {
  it('never includes broker credentials', async () => {
    const { LiveSource } = await import('./live-source.ts');
    const { parsePlantOrThrow } = await import('../common/parse-plant.ts');
    const plant = parsePlantOrThrow(`name: Secret line
brokers: [{ id: line, url: "mqtt://viewer:hunter2@10.0.0.5:1883", username: viewer, password: hunter2 }]
machines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box } }]
`);
    const description = new LiveSource({ plant }).describePlant();
    expect(JSON.stringify(description)).not.toContain('hunter2');
    expect(JSON.stringify(description)).not.toContain('viewer');
    expect(description.plant.brokers).toEqual([{ id: 'line', url: 'mqtt://10.0.0.5:1883' }]);
  });
});
