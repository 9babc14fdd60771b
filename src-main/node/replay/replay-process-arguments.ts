import type { YieldLevel } from '../thread-priority.ts';

const belowNormalArgument = '--yield-level=below-normal';

/** The arguments that start a replay process at a yield level (none for the idle class, the default). */
export function yieldLevelArguments(level: YieldLevel): string[] {
  return level === 'idle' ? [] : [belowNormalArgument];
}

/** The yield level a replay process was started with: the idle class unless its arguments say otherwise. */
export function yieldLevelFromArguments(argv: readonly string[]): YieldLevel {
  return argv.includes(belowNormalArgument) ? 'below-normal' : 'idle';
}
