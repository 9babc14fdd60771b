import { z } from 'zod';
import { parseDuration } from '../parse-quantity.ts';

/** Default look-ahead: machines whose forecast reaches a limit within this are marked predicted. */
export const defaultForecastHorizonMs = 30 * 60_000;
/** Default trend window: the recent stretch the trend is fitted over. */
export const defaultForecastWindowMs = 10 * 60_000;
/** Shortest and longest windows: below a few seconds there is no trend to speak of; above a day the buckets say little. */
export const forecastWindowBoundsMs = { min: 5_000, max: 86_400_000 } as const;
/** Longest horizon: a week. */
export const maxForecastHorizonMs = 7 * 86_400_000;

/** A duration as the plant file writes it: "30 min", "90s", "2h", or a plain number of seconds. */
const durationSetting = z.union([
  z.number().positive().finite().transform((seconds) => Math.round(seconds * 1000)),
  z
    .string()
    .max(32)
    .transform((text, context) => {
      try {
        return parseDuration(text, 'a forecast duration');
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
]);

/** How a signal's forecast looks ahead; at plant level the default for every signal with limits, per signal its own. */
export const forecastSettingsSchema = z
  .object({
    horizon: durationSetting
      .optional()
      .describe('How far ahead a forecast marks its machine predicted: "30 min" (default), "2h", or seconds.'),
    window: durationSetting.optional().describe('The recent stretch the trend is fitted over: "10 min" (default), 5 s to 24 h, or seconds.'),
    enabled: z.boolean().optional().describe('false: no forecast for this signal (or, at plant level, for any signal that does not turn it on).'),
  })
  .strict()
  .superRefine((settings, context) => {
    if (settings.window !== undefined && (settings.window < forecastWindowBoundsMs.min || settings.window > forecastWindowBoundsMs.max)) {
      context.addIssue({ code: 'custom', path: ['window'], message: 'a forecast window is 5 s to 24 h' });
    }
    if (settings.horizon !== undefined && settings.horizon > maxForecastHorizonMs) {
      context.addIssue({ code: 'custom', path: ['horizon'], message: 'a forecast horizon is at most 7 days' });
    }
  });

/** Forecast settings as validated (milliseconds). */
export type ForecastSettings = z.output<typeof forecastSettingsSchema>;

/** One signal's forecast settings with the plant's and the defaults filled in. */
export interface ResolvedForecastSettings {
  enabled: boolean;
  horizonMs: number;
  windowMs: number;
}

/** The signal's own settings over the plant's over the defaults. */
export function resolveForecastSettings(plant: ForecastSettings | undefined, signal: ForecastSettings | undefined): ResolvedForecastSettings {
  return {
    enabled: signal?.enabled ?? plant?.enabled ?? true,
    horizonMs: signal?.horizon ?? plant?.horizon ?? defaultForecastHorizonMs,
    windowMs: signal?.window ?? plant?.window ?? defaultForecastWindowMs,
  };
}
