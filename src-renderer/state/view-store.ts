import { HostRequestError } from '../../src-main/common/host-client.ts';
import { create } from 'zustand';
import type { ConnectionStatus, Diagnostics, PlantDescription, PlayerState, SignalMetadata } from '../../src-main/common/contract.ts';

/** Whether the view is linked to its host. */
export type HostLink = 'connecting' | 'connected' | 'lost';

/** Slow-changing view state: what React renders. Telemetry lives in the frame buffer instead. */
export interface ViewState {
  hostLink: HostLink;
  fatalError: string | undefined;
  description: PlantDescription | undefined;
  connections: ConnectionStatus[];
  diagnostics: Diagnostics | undefined;
  selectedMachine: number | null;
  hoveredMachine: number | null;
  /** Problems the view met (models that cannot be shown, files that cannot be opened), one line each. */
  problems: string[];
  /** Bumped to ask the scene to frame the whole plant again. */
  fitRequest: number;
  /** Live or replay, where, how fast; undefined until the host has said. */
  player: PlayerState | undefined;
  /** A player command is under way (opening a large recording takes a moment). */
  playerBusy: boolean;
  /** The stretch of time the timeline shows, for exports; null when nothing is recorded. */
  timelineWindow: { start: number; end: number } | null;
  /** The stretch chosen on the timeline (shift-drag), which Loop and Export CSV use; null when none is. */
  selectedRange: { start: number; end: number } | null;
  /** The broker panel (per-broker connection and counts) is open. */
  brokerPanelOpen: boolean;
  /** What the sources say about signals (unit, engineering range), by signal index; it changes rarely (at births). */
  signalMetadata: ReadonlyMap<number, SignalMetadata>;
}

/** The view's store. */
export const useViewStore = create<ViewState>(() => ({
  hostLink: 'connecting',
  fatalError: undefined,
  description: undefined,
  connections: [],
  diagnostics: undefined,
  selectedMachine: null,
  hoveredMachine: null,
  problems: [],
  fitRequest: 0,
  player: undefined,
  playerBusy: false,
  timelineWindow: null,
  selectedRange: null,
  brokerPanelOpen: false,
  signalMetadata: new Map(),
}));

/** Takes the host's whole list of signal metadata (from its status or its metadata stream). */
export function showSignalMetadata(metadata: readonly SignalMetadata[] | undefined): void {
  useViewStore.setState({ signalMetadata: new Map((metadata ?? []).map((entry) => [entry.signal, entry])) });
}

/** Opens or closes the broker panel; without an argument, toggles it. */
export function showBrokerPanel(open = !useViewStore.getState().brokerPanelOpen): void {
  useViewStore.setState({ brokerPanelOpen: open });
}

/** Chooses the timeline's range for Loop and Export CSV, or clears it with null. */
export function selectRange(range: { start: number; end: number } | null): void {
  useViewStore.setState({ selectedRange: range });
}

/** Selects a machine (or none); selecting the selected one again keeps it. */
export function selectMachine(index: number | null): void {
  useViewStore.setState({ selectedMachine: index });
}

/** Records a problem for the problems panel, once. */
/**
 * Reports a request the host refused, as `what: why`. A request cut off by a lost connection is not
 * reported: the banner says the host is lost, and the request runs again once it is back.
 */
export function reportRequestProblem(what: string, error: unknown): void {
  if (error instanceof HostRequestError && error.code === 'disconnected') return;
  reportProblem(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

export function reportProblem(problem: string): void {
  const { problems } = useViewStore.getState();
  if (!problems.includes(problem)) useViewStore.setState({ problems: [...problems, problem] });
}
