import { describe, expect, it } from 'vitest';
import { AlarmEvent, alarmEvents, alarmStates, alarmTransition, AlarmState, conditionAfter, refused, type AlarmEventName, type AlarmStateCode } from './alarm-lifecycle.ts';

/** A starting point of the test: a state and the condition under it (shelved and out-of-service alarms hold either). */
type Start = 'normal' | 'activeUnacknowledged' | 'activeAcknowledged' | 'returnedUnacknowledged' | 'shelved (inactive)' | 'shelved (active)' | 'outOfService (inactive)' | 'outOfService (active)';
/** What an event leads to: a state with its condition, or a refusal. */
type Outcome = Start | 'refused';

const starts: Record<Start, { state: AlarmStateCode; active: boolean }> = {
  normal: { state: AlarmState.normal, active: false },
  activeUnacknowledged: { state: AlarmState.activeUnacknowledged, active: true },
  activeAcknowledged: { state: AlarmState.activeAcknowledged, active: true },
  returnedUnacknowledged: { state: AlarmState.returnedUnacknowledged, active: false },
  'shelved (inactive)': { state: AlarmState.shelved, active: false },
  'shelved (active)': { state: AlarmState.shelved, active: true },
  'outOfService (inactive)': { state: AlarmState.outOfService, active: false },
  'outOfService (active)': { state: AlarmState.outOfService, active: true },
};

/**
 * Every state × event, written out by hand from ISA-18.2 (not computed): shelve expiry is given twice,
 * before the shelf's end ("early") and after it ("due"), as the fake clock puts it.
 */
const expected: Record<Start, Record<AlarmEventName | 'shelveExpiry (due)', Outcome>> = {
  normal: {
    raise: 'activeUnacknowledged', clear: 'refused', acknowledge: 'refused', shelve: 'shelved (inactive)', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'outOfService (inactive)', returnToService: 'refused',
  },
  activeUnacknowledged: {
    raise: 'refused', clear: 'returnedUnacknowledged', acknowledge: 'activeAcknowledged', shelve: 'shelved (active)', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'outOfService (active)', returnToService: 'refused',
  },
  activeAcknowledged: {
    raise: 'refused', clear: 'normal', acknowledge: 'refused', shelve: 'shelved (active)', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'outOfService (active)', returnToService: 'refused',
  },
  returnedUnacknowledged: {
    raise: 'activeUnacknowledged', clear: 'refused', acknowledge: 'normal', shelve: 'shelved (inactive)', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'outOfService (inactive)', returnToService: 'refused',
  },
  'shelved (inactive)': {
    raise: 'shelved (active)', clear: 'refused', acknowledge: 'refused', shelve: 'shelved (inactive)', unshelve: 'normal',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'normal', suppress: 'outOfService (inactive)', returnToService: 'refused',
  },
  'shelved (active)': {
    raise: 'refused', clear: 'shelved (inactive)', acknowledge: 'refused', shelve: 'shelved (active)', unshelve: 'activeUnacknowledged',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'activeUnacknowledged', suppress: 'outOfService (active)', returnToService: 'refused',
  },
  'outOfService (inactive)': {
    raise: 'outOfService (active)', clear: 'refused', acknowledge: 'refused', shelve: 'refused', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'refused', returnToService: 'normal',
  },
  'outOfService (active)': {
    raise: 'refused', clear: 'outOfService (inactive)', acknowledge: 'refused', shelve: 'refused', unshelve: 'refused',
    shelveExpiry: 'refused', 'shelveExpiry (due)': 'refused', suppress: 'refused', returnToService: 'activeUnacknowledged',
  },
};

/** A clock the test moves by hand. */
class FakeClock {
  now = 1_764_000_000_000;
  advance(milliseconds: number): void {
    this.now += milliseconds;
  }
}

/** The outcome name of a state and condition, as the table writes it. */
function outcomeName(state: AlarmStateCode, active: boolean): Outcome {
  const name = alarmStates[state];
  if (name === 'shelved' || name === 'outOfService') return `${name} (${active ? 'active' : 'inactive'})`;
  return name;
}

describe('alarm lifecycle: every state × event', () => {
  const shelfMs = 60_000;
  for (const [start, row] of Object.entries(expected) as Array<[Start, (typeof expected)[Start]]>) {
    for (const [column, outcome] of Object.entries(row) as Array<[keyof typeof row, Outcome]>) {
      it(`${start} + ${column} → ${outcome}`, () => {
        const clock = new FakeClock();
        // The shelf (if any) was put up now and ends a minute later; "due" looks after its end, the plain event before it.
        const shelvedUntil = clock.now + shelfMs;
        const event = column === 'shelveExpiry (due)' ? AlarmEvent.shelveExpiry : AlarmEvent[column];
        clock.advance(column === 'shelveExpiry (due)' ? shelfMs : shelfMs / 2);
        const { state, active } = starts[start];
        const next = alarmTransition(state, active, event, clock.now, shelvedUntil);
        expect(next === refused ? 'refused' : outcomeName(next, conditionAfter(event, active))).toBe(outcome);
      });
    }
  }

  it('covers every state and every event', () => {
    const covered = new Set(Object.values(starts).map(({ state }) => alarmStates[state]));
    expect([...covered].sort()).toEqual([...alarmStates].sort());
    for (const row of Object.values(expected)) expect(Object.keys(row).filter((key) => key !== 'shelveExpiry (due)').sort()).toEqual([...alarmEvents].sort());
  });

  it('expires a shelf exactly at its end on the fake clock, not a millisecond before', () => {
    const clock = new FakeClock();
    const until = clock.now + 5_000;
    clock.advance(4_999);
    expect(alarmTransition(AlarmState.shelved, true, AlarmEvent.shelveExpiry, clock.now, until)).toBe(refused);
    clock.advance(1);
    expect(alarmTransition(AlarmState.shelved, true, AlarmEvent.shelveExpiry, clock.now, until)).toBe(AlarmState.activeUnacknowledged);
  });
});
