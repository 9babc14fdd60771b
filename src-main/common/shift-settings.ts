import { z } from 'zod';
import { defaultShifts, type Shift } from './shift-summary.ts';

/** Most shifts a plant file may name: more than one an hour says nothing a summary can show. */
export const maxShifts = 24;

/** A start time of day as people write it on a rota: "06:00", "22:30" (24-hour, two digits each). */
const timeOfDayPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of a valid "HH:MM". */
function minutesOf(text: string): number {
  const [, hours, minutes] = timeOfDayPattern.exec(text)!;
  return Number(hours) * 60 + Number(minutes);
}

/** One shift of the plant file: its name and the time of day it starts; it lasts until the next one starts. */
const shiftSettingSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[^\p{Cc}]+$/u, 'no control characters'),
    start: z.string().max(5).regex(timeOfDayPattern, 'a time of day as HH:MM, 24-hour, e.g. "06:00" or "22:30"'),
  })
  .strict();

/** The plant file's `shifts:`: at least one, at most `maxShifts`, names and start times each used once. */
export const shiftsSettingSchema = z
  .array(shiftSettingSchema)
  .min(1, 'at least one shift (leave shifts out for early 06:00, late 14:00, night 22:00)')
  .max(maxShifts)
  .superRefine((shifts, context) => {
    const names = new Set<string>();
    const starts = new Set<string>();
    for (const [index, shift] of shifts.entries()) {
      if (names.has(shift.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `a second shift named "${shift.name}"` });
      if (starts.has(shift.start)) context.addIssue({ code: 'custom', path: [index, 'start'], message: `a second shift starting at ${shift.start}` });
      names.add(shift.name);
      starts.add(shift.start);
    }
  });

/** The plant file's shifts as written. */
export type ShiftsSetting = z.output<typeof shiftsSettingSchema>;

/** The shifts a plant runs: its file's `shifts:` as start minutes, or early, late and night when it names none. */
export function plantShifts(plant: { shifts?: ShiftsSetting | undefined }): readonly Shift[] {
  if (!plant.shifts) return defaultShifts;
  return plant.shifts.map((shift) => ({ name: shift.name, startMinute: minutesOf(shift.start) }));
}
