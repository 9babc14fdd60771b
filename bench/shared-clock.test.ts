import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { sharedClockNow } from './shared-clock.ts';

// A process started after the wall clock was set 5 s forward: its Date.now is ahead before the clock module loads.
const stepped = `Date.now = ((now) => () => now() + 5000)(Date.now);
const { sharedClockNow } = await import(${JSON.stringify(new URL('./shared-clock.ts', import.meta.url).href)});
console.log(sharedClockNow());`;

it('reads the same time in a process started after the wall clock was stepped', () => {
  const before = sharedClockNow();
  const inChild = Number(execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', stepped], { encoding: 'utf8' }));
  const after = sharedClockNow();
  expect(inChild).toBeGreaterThanOrEqual(before);
  expect(inChild).toBeLessThanOrEqual(after);
});
