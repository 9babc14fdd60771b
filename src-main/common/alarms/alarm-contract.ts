import { z } from 'zod';
import { alarmPriorities } from '../plant-schema.ts';
import { alarmEvents, alarmStates, maxShelveMs } from './alarm-lifecycle.ts';
import { alarmLimits } from './alarm-record.ts';
import { maxOperatorLength, maxReasonLength, type ActionResult } from './alarm-engine.ts';

/** Most alarms one action may name: "acknowledge all visible" under a flood still fits a view message (64 KiB). */
export const maxAlarmsPerAction = 2000;

/** Text a person typed: trimmed, not empty, bounded, and without control characters (it is shown, logged and recorded). */
function typedText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text), 'no control characters, line separators or direction overrides');
}

const alarmIds = z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1).max(maxAlarmsPerAction);
/** Who acts: the operator name the app asked for once. */
const operator = typedText(maxOperatorLength);
const reason = typedText(maxReasonLength);

/** An operator's action on alarms, as a view sends it; every one names who acts. */
export const alarmActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge'), alarms: alarmIds, operator }).strict(),
  z.object({ action: z.literal('shelve'), alarms: alarmIds, operator, reason, durationMs: z.number().int().min(1000).max(maxShelveMs) }).strict(),
  z.object({ action: z.literal('unshelve'), alarms: alarmIds, operator }).strict(),
  z.object({ action: z.literal('suppress'), alarms: alarmIds, operator, reason }).strict(),
  z.object({ action: z.literal('returnToService'), alarms: alarmIds, operator }).strict(),
]);
/** An operator's action on alarms. */
export type AlarmAction = z.infer<typeof alarmActionSchema>;

/** What an action did: the alarms it changed, and those it could not, with why. */
export type AlarmActionResult = ActionResult;

const time = z.number().finite().min(0).max(8.64e15);
const stamp = { operator: z.string().max(maxOperatorLength), time };

/** An alarm record as a recording holds it: checked field by field before replay shows it (a recording is untrusted input). */
export const recordedAlarmSchema = z
  .object({
    alarm: z.number().int().min(0),
    signal: z.number().int().min(0),
    machine: z.number().int().min(0),
    limit: z.enum(alarmLimits),
    priority: z.enum(alarmPriorities),
    state: z.enum(alarmStates),
    active: z.boolean(),
    message: z.string().max(1000),
    raisedAt: time.nullable(),
    value: z.number().nullable(),
    changedAt: time,
    acknowledged: z.object(stamp).strict().nullable(),
    shelved: z.object({ ...stamp, until: time, reason: z.string().max(maxReasonLength) }).strict().nullable(),
    outOfService: z.object({ ...stamp, reason: z.string().max(maxReasonLength) }).strict().nullable(),
    restored: z.literal(true).optional(),
  })
  .strict();

/** The flood indicator as a recording holds it. */
export const recordedFloodSchema = z.object({ active: z.boolean(), since: time.nullable() }).strict();

/** Events a recording's alarm rows may name: the lifecycle's, a row carried into a new file, a state restored after a host restart, and the flood indicator's. */
export const recordedAlarmEvents = [...alarmEvents, 'carried', 'restored', 'flood'] as const;
