/**
 * The ISA-18.2 alarm lifecycle as a pure transition function over small integer codes, so the engine
 * can keep every alarm's state in typed arrays and apply events without allocating.
 *
 * An alarm has a state and, apart from it, a condition: whether its signal is beyond its limit now.
 * While shelved or out of service the condition keeps being followed (ISA-18.2: shelved and
 * suppressed alarms are still evaluated), but nothing is annunciated; when the alarm comes back it
 * takes the state its condition calls for: active-unacknowledged if active, else normal.
 */

/** Alarm states, in the order of their codes. */
export const alarmStates = ['normal', 'activeUnacknowledged', 'activeAcknowledged', 'returnedUnacknowledged', 'shelved', 'outOfService'] as const;
/** One alarm state. */
export type AlarmStateName = (typeof alarmStates)[number];
/** Codes of the alarm states by name. */
export const AlarmState = { normal: 0, activeUnacknowledged: 1, activeAcknowledged: 2, returnedUnacknowledged: 3, shelved: 4, outOfService: 5 } as const satisfies Record<AlarmStateName, number>;
/** Numeric code of an alarm state: its index in `alarmStates`. */
export type AlarmStateCode = (typeof AlarmState)[AlarmStateName];

/** What can happen to an alarm, in the order of their codes. */
export const alarmEvents = ['raise', 'clear', 'acknowledge', 'shelve', 'unshelve', 'shelveExpiry', 'suppress', 'returnToService'] as const;
/** One alarm event. */
export type AlarmEventName = (typeof alarmEvents)[number];
/** Codes of the alarm events by name. */
export const AlarmEvent = { raise: 0, clear: 1, acknowledge: 2, shelve: 3, unshelve: 4, shelveExpiry: 5, suppress: 6, returnToService: 7 } as const satisfies Record<AlarmEventName, number>;
/** Numeric code of an alarm event. */
export type AlarmEventCode = (typeof AlarmEvent)[AlarmEventName];

/** The answer for an event that does not apply in the alarm's state (acknowledging a normal alarm, raising an active one). */
export const refused = -1;

/** Longest an alarm may be shelved: a shelf is for a shift, never for good (that is what out of service is for). */
export const maxShelveMs = 24 * 3_600_000;

/** Whether the alarm is annunciated as active in this state (shelved and out-of-service alarms are not annunciated). */
export function isActiveState(state: AlarmStateCode): boolean {
  return state === AlarmState.activeUnacknowledged || state === AlarmState.activeAcknowledged;
}

/** Whether an operator still has to acknowledge the alarm. */
export function isUnacknowledgedState(state: AlarmStateCode): boolean {
  return state === AlarmState.activeUnacknowledged || state === AlarmState.returnedUnacknowledged;
}

/** The condition an event leaves behind: raise makes it active, clear inactive, the rest keep it. */
export function conditionAfter(event: AlarmEventCode, active: boolean): boolean {
  if (event === AlarmEvent.raise) return true;
  if (event === AlarmEvent.clear) return false;
  return active;
}

/**
 * The state after `event`, or `refused` when the event does not apply: raise while the condition is
 * already active, clear while it is not, acknowledge with nothing to acknowledge, unshelve when not
 * shelved, shelve expiry before the shelf's end (`now < shelvedUntil`), suppress twice, return to
 * service when in service; an out-of-service alarm cannot be shelved (it is silenced for longer).
 */
export function alarmTransition(state: AlarmStateCode, active: boolean, event: AlarmEventCode, now: number, shelvedUntil: number): AlarmStateCode | typeof refused {
  // The condition's own events are refused the same way in every state: they report a change.
  if (event === AlarmEvent.raise && active) return refused;
  if (event === AlarmEvent.clear && !active) return refused;
  switch (state) {
    case AlarmState.normal:
      if (event === AlarmEvent.raise) return AlarmState.activeUnacknowledged;
      return silencing(event);
    case AlarmState.activeUnacknowledged:
      if (event === AlarmEvent.clear) return AlarmState.returnedUnacknowledged;
      if (event === AlarmEvent.acknowledge) return AlarmState.activeAcknowledged;
      return silencing(event);
    case AlarmState.activeAcknowledged:
      if (event === AlarmEvent.clear) return AlarmState.normal;
      return silencing(event);
    case AlarmState.returnedUnacknowledged:
      // A return that comes back before anyone acknowledged it is annunciated again.
      if (event === AlarmEvent.raise) return AlarmState.activeUnacknowledged;
      if (event === AlarmEvent.acknowledge) return AlarmState.normal;
      return silencing(event);
    case AlarmState.shelved:
      if (event === AlarmEvent.raise || event === AlarmEvent.clear || event === AlarmEvent.shelve) return AlarmState.shelved;
      if (event === AlarmEvent.unshelve || (event === AlarmEvent.shelveExpiry && now >= shelvedUntil)) return resumed(active);
      if (event === AlarmEvent.suppress) return AlarmState.outOfService;
      return refused;
    case AlarmState.outOfService:
      if (event === AlarmEvent.raise || event === AlarmEvent.clear) return AlarmState.outOfService;
      if (event === AlarmEvent.returnToService) return resumed(active);
      return refused;
  }
  return refused;
}

/** Shelving and taking out of service apply from any annunciating state; nothing else does. */
function silencing(event: AlarmEventCode): AlarmStateCode | typeof refused {
  if (event === AlarmEvent.shelve) return AlarmState.shelved;
  if (event === AlarmEvent.suppress) return AlarmState.outOfService;
  return refused;
}

/** Back from a shelf or from out of service: annunciated anew if the condition is still there. */
function resumed(active: boolean): AlarmStateCode {
  return active ? AlarmState.activeUnacknowledged : AlarmState.normal;
}
