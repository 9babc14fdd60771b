import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { currentHost } from '../host-link.ts';
import { parsePinnedKeys, pinnedKeysOf, pinSignalKeys } from '../ui/charts/chart-pins-link.ts';
import { focusMachine, reportProblem, reportRequestProblem, useViewStore, type ViewState } from './view-store.ts';

/** What a view's link holds: the selected machine (by id), the shown time (ms since the epoch) and live or replay. */
export interface ViewLink {
  machine?: string;
  time?: number;
  mode?: 'live' | 'replay';
  /** Signals pinned to the chart panel, as `machine/signal` keys. */
  pins?: string[];
}

/** Longest fragment read: a link is a machine id, a time and a mode, never a document. */
const maxFragmentLength = 1000;
/** How often the address is brought up to date: browsers refuse a flood of history changes, and nobody reads it faster. */
const updateIntervalMs = 500;
/** Machine ids as the plant file allows them. */
const machineIdPattern = /^[A-Za-z0-9_.-]{1,200}$/;
/** How far the replayed time may be from a link's before the view says the recordings do not cover it. */
const linkTimeToleranceMs = 1000;
/** Times a Date can hold. */
const maxTime = 8.64e15;

/** Reads a link's fragment ("#machine=stand-f4&time=1764584543000&mode=replay"); parts that are malformed or out of range are left out. */
export function parseViewLink(fragment: string): ViewLink {
  if (fragment.length > maxFragmentLength) return {};
  const parameters = new URLSearchParams(fragment.replace(/^#/, ''));
  const link: ViewLink = {};
  const machine = parameters.get('machine');
  if (machine !== null && machineIdPattern.test(machine)) link.machine = machine;
  const time = parameters.get('time');
  if (time !== null && /^\d{1,16}$/.test(time) && Number(time) <= maxTime) link.time = Number(time);
  const mode = parameters.get('mode');
  if (mode === 'live' || mode === 'replay') link.mode = mode;
  const pins = parsePinnedKeys(parameters.get('pins'));
  if (pins) link.pins = pins;
  return link;
}

/** A link's fragment, without the "#": machine, then time, then mode, each only when given. */
export function formatViewLink(link: ViewLink): string {
  const parameters = new URLSearchParams();
  if (link.machine !== undefined) parameters.set('machine', link.machine);
  if (link.time !== undefined) parameters.set('time', String(Math.round(link.time)));
  if (link.mode !== undefined) parameters.set('mode', link.mode);
  if (link.pins !== undefined && link.pins.length > 0) parameters.set('pins', link.pins.join(','));
  return parameters.toString();
}

/** The link of what the view shows now: a live view's time is "now", so only a replay carries one. */
export function viewLinkOf(state: Pick<ViewState, 'selectedMachine' | 'player' | 'description'>): ViewLink {
  const link: ViewLink = {};
  const machine = state.selectedMachine === null ? undefined : state.description?.plant.machines[state.selectedMachine];
  if (machine) link.machine = machine.id;
  if (state.player?.mode === 'replay') link.time = state.player.time;
  if (state.player) link.mode = state.player.mode;
  return link;
}

/** Whether this page has applied its link yet: once only, not again after a reconnect. */
let linkApplied = false;

/**
 * Keeps the address in step with the view (selection, shown time, mode) with `history.replaceState`,
 * at most every half second, so the address can be shared; on opening, applies the link it was opened
 * with: selects and frames the machine, and replays at the time when a recording covers it.
 */
export function useViewUrl(description: PlantDescription): void {
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const startWriting = () => {
      if (stopped) return;
      timer = setInterval(() => {
        const fragment = formatViewLink({ ...viewLinkOf(useViewStore.getState()), pins: pinnedKeysOf(description) });
        if (location.hash.replace(/^#/, '') === fragment) return;
        history.replaceState(history.state, '', `${location.pathname}${location.search}${fragment === '' ? '' : `#${fragment}`}`);
      }, updateIntervalMs);
    };
    if (linkApplied) startWriting();
    else {
      linkApplied = true;
      void applyViewLink(parseViewLink(location.hash), description).finally(startWriting);
    }
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [description]);
}

/** Opens what a link names: its machine selected and brought into view, and its replay time when a recording covers it. */
async function applyViewLink(link: ViewLink, description: PlantDescription): Promise<void> {
  const missingPins = link.pins ? pinSignalKeys(link.pins, description) : [];
  if (missingPins.length > 0) reportProblem(`Link: this plant has no signal ${missingPins.join(', ')} to chart`);
  if (link.machine !== undefined) {
    const index = description.plant.machines.findIndex((machine) => machine.id === link.machine);
    if (index >= 0) focusMachine(index);
    else reportProblem(`Link: this plant has no machine ${link.machine}`);
  }
  if (link.mode !== 'replay') return;
  const player = useViewStore.getState().player;
  const host = currentHost();
  if (!player?.capabilities.replay || !host) {
    reportProblem('Link: it shows a replay, and this view has no recording to replay');
    return;
  }
  const time = link.time;
  try {
    // The host says where it can replay (a view's first player state may come before the recording's range is read).
    const shown = await host.request('player', time === undefined ? { action: 'replay' } : { action: 'replay', time });
    useViewStore.setState({ player: shown });
    if (time !== undefined && Math.abs(shown.time - time) > linkTimeToleranceMs) {
      reportProblem(`Link: its time (${new Date(time).toISOString()}) is not in the recordings here; showing ${new Date(shown.time).toISOString()}`);
    }
  } catch (error) {
    reportRequestProblem('Link', error);
  }
}
