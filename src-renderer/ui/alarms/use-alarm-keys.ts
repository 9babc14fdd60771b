import { useEffect } from 'react';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import { focusMachine } from '../../state/view-store.ts';
import { actOnAlarms } from './act-on-alarms.ts';
import { useAlarmView, visibleAlarms } from './alarm-view-store.ts';

/** Whether keys typed into `target` belong to it: text fields and selects keep their own letters and arrows. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return type !== 'button' && type !== 'submit' && type !== 'reset' && type !== 'checkbox';
}

/** Selects the alarm `step` rows from the selected one in the list's order (the first or last without one) and flies to its machine. */
export function moveAlarmSelection(description: PlantDescription, step: 1 | -1): void {
  const state = useAlarmView.getState();
  const shown = visibleAlarms(state, description);
  if (shown.length === 0) return;
  const at = shown.findIndex((alarm) => alarm.alarm === state.selectedAlarm);
  const next = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
  const alarm = shown[next]!;
  useAlarmView.setState({ selectedAlarm: alarm.alarm, listOpen: true });
  focusMachine(alarm.machine);
}

/**
 * J or Alt+↓ selects the next alarm of the list, K or Alt+↑ the previous one (opening the list), and A
 * acknowledges the selected alarm — wherever the focus is but in a text field or a selector.
 */
export function useAlarmKeys(description: PlantDescription): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      try {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || typingIn(event.target)) return;
        const key = event.key.toLowerCase();
        const next = (!event.altKey && key === 'j') || (event.altKey && event.key === 'ArrowDown');
        const previous = (!event.altKey && key === 'k') || (event.altKey && event.key === 'ArrowUp');
        if (next || previous) {
          event.preventDefault();
          moveAlarmSelection(description, next ? 1 : -1);
        } else if (!event.altKey && key === 'a') {
          const { selectedAlarm, snapshot } = useAlarmView.getState();
          const alarm = snapshot?.alarms.find((entry) => entry.alarm === selectedAlarm);
          if (!alarm) return;
          event.preventDefault();
          actOnAlarms({ action: 'acknowledge', alarms: [alarm.alarm] });
        }
      } catch (error) {
        console.error(`Twinline: an alarm key failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [description]);
}
