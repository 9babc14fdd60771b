import { create } from 'zustand';
import type { AlarmAction } from '../../../src-main/common/alarms/alarm-contract.ts';
import { maxAlarmsPerAction } from '../../../src-main/common/alarms/alarm-contract.ts';
import { currentHost } from '../../host-link.ts';
import { isReplaying } from '../../state/view-store.ts';
import { useAlarmView } from './alarm-view-store.ts';
import { chooseOperatorName, useOperatorName } from './operator-name.ts';

/** An action as the list asks for it: everything but who acts, which the operator name supplies. */
export type RequestedAlarmAction = AlarmAction extends infer Action ? (Action extends AlarmAction ? Omit<Action, 'operator'> : never) : never;

/** Why actions are off, in the words the list shows; null when they are on. */
export function actionsOffReason(mode: 'live' | 'replay' | undefined): string | null {
  if (mode === 'replay') return 'Actions are off while replaying the recording: it shows the past.';
  if (mode === undefined) return 'Actions wait for the host.';
  return null;
}

/** An action waiting for the operator to give a name (asked once, then remembered). */
export const usePendingAlarmAction = create<{ action: RequestedAlarmAction | null }>(() => ({ action: null }));

const pastTense: Record<AlarmAction['action'], string> = {
  acknowledge: 'Acknowledged',
  shelve: 'Shelved',
  unshelve: 'Unshelved',
  suppress: 'Took out of service',
  returnToService: 'Returned to service',
};

function report(words: string): void {
  useAlarmView.setState({ actionReport: words });
}

/**
 * Sends an operator's action to the host, naming the operator; without a name yet, it waits for one
 * (the list asks). The host validates and applies it; what it changed and what it refused, with why,
 * is reported under the list.
 */
export function actOnAlarms(requested: RequestedAlarmAction): void {
  if (requested.alarms.length === 0) return;
  if (isReplaying()) {
    report(actionsOffReason('replay')!);
    return;
  }
  const operator = useOperatorName.getState().name;
  if (operator === null) {
    usePendingAlarmAction.setState({ action: requested });
    useAlarmView.setState({ listOpen: true });
    return;
  }
  const host = currentHost();
  if (!host) {
    report('The host cannot be reached; nothing was done.');
    return;
  }
  const action = { ...requested, alarms: requested.alarms.slice(0, maxAlarmsPerAction), operator } as AlarmAction;
  host.request('alarmAction', action).then(
    (result) => {
      const done = result.applied.length > 0 ? `${pastTense[action.action]} ${result.applied.length} alarm${result.applied.length === 1 ? '' : 's'} as ${operator}.` : '';
      const refused = result.refused.length > 0 ? ` ${result.refused.length} could not be: ${result.refused[0]!.reason}${result.refused.length > 1 ? ' …' : ''}` : '';
      report(`${done}${refused}`.trim() || 'Nothing to do.');
    },
    (error: unknown) => report(`The host refused: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** Takes the operator's name and runs the action that was waiting for it. */
export function nameOperatorAndAct(name: string): void {
  chooseOperatorName(name);
  const pending = usePendingAlarmAction.getState().action;
  usePendingAlarmAction.setState({ action: null });
  if (pending && useOperatorName.getState().name !== null) actOnAlarms(pending);
}
