import { describe, expect, it } from 'vitest';
import { maxAlarmsPerAction } from '../common/alarms/alarm-contract.ts';
import { alarmActionBurst, alarmActionEveryMs, AlarmService } from './alarm-service.ts';
import type { AlarmRow } from './recording/recorded-alarms.ts';
import { testPlant, unusedBroker } from './testing/test-plants.ts';

describe('the rate of alarm actions', () => {
  it('refuses views that cycle alarms out of service and back faster than the host records them, and takes actions again after a while', () => {
    let now = 1_000_000;
    const rows: AlarmRow[] = [];
    const signals = Array.from({ length: 10 }, (_, index) => ({ id: `s${index}`, topic: `t/${index}`, limits: { highWarn: 80, highAlarm: 90 } }));
    const service = new AlarmService({
      plant: testPlant({ name: 'Alarm plant', brokers: [unusedBroker], machines: [{ id: 'oven', signals }] }),
      frames: { subscribe: () => () => undefined },
      recorder: { onAlarmRows: (added) => rows.push(...added) },
      clock: () => now,
      log: () => undefined,
      tickIntervalMs: 60_000,
    });
    try {
      // The high warning and alarm of every signal, named again and again up to the most one action may name.
      const alarms = Array.from({ length: maxAlarmsPerAction }, (_, index) => (index % signals.length) * 4 + 2 + (index % 2));
      const operator = 'Script';
      let accepted = 0;
      let refusal = '';
      for (let round = 0; round < 100 && refusal === ''; round++) {
        try {
          service.act(round % 2 === 0 ? { action: 'suppress', alarms, operator, reason: 'flood the recording' } : { action: 'returnToService', alarms, operator });
          accepted++;
        } catch (error) {
          refusal = error instanceof Error ? error.message : String(error);
        }
      }
      expect(refusal).toContain('alarm actions are coming faster than the host records them');
      expect(accepted).toBe(Math.floor(alarmActionBurst / maxAlarmsPerAction));
      const recorded = rows.length;
      expect(recorded).toBeGreaterThan(0);
      // Refused means nothing recorded; a while later an operator's action goes in again.
      expect(() => service.act({ action: 'acknowledge', alarms: [2], operator: 'Ana' })).toThrow(/try again in/);
      expect(rows).toHaveLength(recorded);
      now += alarmActionEveryMs * maxAlarmsPerAction;
      // Five actions went in, the last a suppress: the alarms are out of service.
      expect(service.act({ action: 'returnToService', alarms: [2, 7], operator: 'Ana' }).applied).toEqual([2, 7]);
      expect(rows.length).toBeGreaterThan(recorded);
    } finally {
      service.stop();
    }
  });
});
