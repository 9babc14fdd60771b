import { useEffect } from 'react';
import type { AlarmSnapshot } from '../../../src-main/common/alarms/alarm-record.ts';
import { currentHost } from '../../host-link.ts';
import { isReplaying, reportRequestProblem, useViewStore } from '../../state/view-store.ts';
import { bringsLoudAlarm, loudOccurrences, type HeardAlarms } from './alarms-to-sound.ts';
import { useAlarmView } from './alarm-view-store.ts';
import { playAlarmTone } from './play-alarm-tone.ts';

/**
 * Keeps the alarm store fed with the host's `alarms` stream while the view is linked (subscribing
 * again after each reconnect) and sounds a tone for a new high or critical alarm when sound is on and
 * the view is live. The alarms change seldom (a few times a second in a flood at most), so React
 * state is the right place for them.
 */
export function useAlarmFeed(): void {
  const linked = useViewStore((state) => state.hostLink === 'connected');
  useEffect(() => {
    const host = linked ? currentHost() : undefined;
    if (!host) return;
    // The alarms already standing when the view links are no news: only later ones sound.
    let heard: HeardAlarms | null = null;
    const take = (snapshot: AlarmSnapshot) => {
      try {
        if (heard !== null && useAlarmView.getState().soundOn && !isReplaying() && bringsLoudAlarm(heard, snapshot.alarms)) playAlarmTone();
        heard = loudOccurrences(snapshot.alarms);
        useAlarmView.setState({ snapshot });
      } catch (error) {
        console.error(`Twinline: showing the alarms failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    // Subscribe before asking: the channel is ordered, so the answer is newer than any event before it.
    const stop = host.subscribe('alarms', take);
    host.request('getAlarms', {}).then(take, (error: unknown) => reportRequestProblem('The alarms could not be read', error));
    return stop;
  }, [linked]);
}
