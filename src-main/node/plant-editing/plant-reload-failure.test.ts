import { describe, expect, it } from 'vitest';
import type { RunningHost } from '../twinline-host.ts';
import { PlantFileFollower } from './plant-file-follower.ts';

/** A host as far as the follower uses one, whose stop may fail. */
function host(name: string, stop: () => Promise<void>): RunningHost {
  return { plantFile: `${name}.yaml`, stop, source: { describePlant: () => ({ plant: { name } }) }, createViewSource: () => undefined } as unknown as RunningHost;
}

describe('a plant reload that fails late', () => {
  it('is reported and answered, never left as a rejection that would end the host, and the next reload still runs', async () => {
    const logged: string[] = [];
    const first = host('first', () => Promise.reject(new Error('the recording could not be closed')));
    let started = 0;
    let refusing = false;
    const follower = new PlantFileFollower({
      host: first,
      startHost: async () => {
        if (refusing) throw new Error('no broker');
        return host(`next-${++started}`, async () => undefined);
      },
      onApplied: () => undefined,
      onRefused: () => {
        throw new Error('the views could not be told');
      },
      logError: (line) => logged.push(line),
      watch: false,
    });
    // The editor's save and the file watch start a reload without waiting for it: it must never reject.
    // The old host failing to stop leaves the new plant running, and says so.
    await expect(follower.reload()).resolves.toMatchObject({ ok: true, plant: { name: 'next-1' } });
    expect(logged).toEqual(['Stopping the host of the previous plant failed: the recording could not be closed']);
    refusing = true;
    await expect(follower.reload()).resolves.toEqual({ ok: false, reason: 'Applying the changed plant file failed: the views could not be told' });
    expect(logged.at(-1)).toBe('Applying the changed plant file failed: the views could not be told');
    refusing = false;
    await expect(follower.reload()).resolves.toMatchObject({ ok: true, plant: { name: 'next-2' } });
    await follower.stop();
  });
});
