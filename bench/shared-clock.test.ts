import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { sharedClockNow, wallTimeOf } from './shared-clock.ts';

// A process started after the wall clock was set 5 s forward: however it reads the wall clock (Date.now,
// or the wall time its performance clock started at), it reads 5 s ahead, before the clock module loads.
const stepped = `const ahead = 5000;
Date.now = ((now) => () => now() + ahead)(Date.now);
Object.defineProperty(performance, 'timeOrigin', { value: performance.timeOrigin + ahead });
const { sharedClockNow } = await import(${JSON.stringify(new URL('./shared-clock.ts', import.meta.url).href)});
console.log(sharedClockNow());`;

it('reads the same time in a process started after the wall clock was stepped', () => {
  const before = sharedClockNow();
  const inChild = Number(execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', stepped], { encoding: 'utf8' }));
  const after = sharedClockNow();
  expect(inChild).toBeGreaterThanOrEqual(before);
  expect(inChild).toBeLessThanOrEqual(after);
});

it('reads as the wall clock in ms since the epoch, so values on it convert back to wall times', () => {
  expect(Math.abs(wallTimeOf(sharedClockNow()) - Date.now())).toBeLessThanOrEqual(1);
  expect(Math.abs(sharedClockNow() - Date.now())).toBeLessThan(60_000);
});
