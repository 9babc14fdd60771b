import { create } from 'zustand';
import type { Clock } from '../ui/format.ts';

/** Where the choice is kept between visits: each browser (and the desktop app) remembers its own. */
const storageKey = 'twinline.clock';

/** The stored choice, or local (with its zone shown) when none was made or what is stored is not a choice. */
function storedClock(): Clock {
  try {
    return globalThis.localStorage?.getItem(storageKey) === 'utc' ? 'utc' : 'local';
  } catch (error) {
    // Storage refused (a privacy mode, a file: page): the default clock serves, and nothing is lost.
    console.warn(`Twinline: the clock setting cannot be read (${error instanceof Error ? error.message : String(error)}); showing local time`);
    return 'local';
  }
}

/** The clock every time in the view is shown in: the user's choice, local with its zone or UTC. */
export const useClockSetting = create<{ clock: Clock }>(() => ({ clock: storedClock() }));

/** The chosen clock, for components: they show times again when it changes. */
export function useClock(): Clock {
  return useClockSetting((state) => state.clock);
}

/** Shows every time on `clock` from now on, and remembers the choice for the next visit. */
export function chooseClock(clock: Clock): void {
  useClockSetting.setState({ clock });
  try {
    globalThis.localStorage?.setItem(storageKey, clock);
  } catch (error) {
    // The view still switches; only the next visit will not remember it.
    console.warn(`Twinline: the clock setting cannot be kept (${error instanceof Error ? error.message : String(error)})`);
  }
}
