import { expect as playwrightExpect } from '@playwright/test';

/**
 * Playwright's `expect`, but `expect.poll` probes steadily every 100 ms (after one at 50 ms) unless a
 * test asks otherwise. Its default backs off to one probe a second, so a state reached just after a
 * probe was seen up to a second late; over the suite's hundreds of polls that was minutes of waiting
 * for nothing. A probe is one round trip to the page or a file read: cheap even on a loaded machine.
 */
export const steadyIntervals = [50, 100];

type PollOptions = Exclude<Parameters<typeof playwrightExpect.poll>[1], undefined>;

/** The options a poll was given, with steady intervals when it named none. */
function withSteadyIntervals(options: PollOptions | undefined): PollOptions {
  if (options === undefined) return { intervals: steadyIntervals };
  if (typeof options === 'string') return { message: options, intervals: steadyIntervals };
  return { intervals: steadyIntervals, ...options };
}

/** `expect` from `@playwright/test` whose `poll` defaults to steady intervals (see `steadyIntervals`). */
export const expect: typeof playwrightExpect = new Proxy(playwrightExpect, {
  get(target, property, receiver) {
    if (property !== 'poll') return Reflect.get(target, property, receiver);
    return ((actual: () => unknown, options?: PollOptions) => target.poll(actual, withSteadyIntervals(options))) as typeof playwrightExpect.poll;
  },
});
