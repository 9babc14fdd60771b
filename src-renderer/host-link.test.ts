import { afterEach, describe, expect, it } from 'vitest';
import { formatMoment } from './ui/format.ts';
import { describeHostNotice, dismissHostNotice, markHostReconnected, showHostNotice, useHostNotice } from './host-link.ts';

const at = new Date(2026, 10, 25, 6, 4, 51, 0).getTime();

afterEach(() => dismissHostNotice());

describe('what the view says when its host stops', () => {
  it('says the host stopped and restarts, then that it was restarted and the view reconnected', () => {
    showHostNotice({ type: 'hostExited', code: 70, signal: null, restartInMs: 512, crashesInARow: 1 }, at);
    expect(describeHostNotice(useHostNotice.getState().shown!, 'utc')).toBe(`The host stopped unexpectedly (exit code 70) at ${formatMoment(at, 'utc')}; restarting it in 0.5 s…`);
    markHostReconnected();
    expect(describeHostNotice(useHostNotice.getState().shown!, 'utc')).toBe(`The host stopped unexpectedly (exit code 70) at ${formatMoment(at, 'utc')} and was restarted; reconnected.`);
  });

  it('names a signal, and how often it happened in a row', () => {
    showHostNotice({ type: 'hostExited', code: null, signal: 'SIGKILL', restartInMs: 4000, crashesInARow: 4 }, at);
    expect(describeHostNotice(useHostNotice.getState().shown!, 'utc')).toBe(`The host stopped unexpectedly (signal SIGKILL, 4 times in a row) at ${formatMoment(at, 'utc')}; restarting it in 4.0 s…`);
  });

  it('says a host that cannot start is not retried on its own, naming the first line of why', () => {
    showHostNotice({ type: 'hostFailed', message: 'The plant file has 3 problems:\nplant.yaml:9 machines[0].signals[0].topic: required' }, at);
    expect(describeHostNotice(useHostNotice.getState().shown!, 'utc')).toBe('The host could not start (The plant file has 3 problems). Open a recording or choose Watch Live to try again.');
  });

  it('keeps the notice until it is dismissed', () => {
    showHostNotice({ type: 'hostExited', code: 1, signal: null, restartInMs: 500, crashesInARow: 1 }, at);
    markHostReconnected();
    expect(useHostNotice.getState().shown?.reconnected).toBe(true);
    dismissHostNotice();
    expect(useHostNotice.getState().shown).toBeUndefined();
  });
});
