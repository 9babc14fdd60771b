import { HostRequestError } from '../../src-main/common/host-client.ts';
import { create } from 'zustand';
import type { ConnectionStatus, Diagnostics, PlantDescription, PlayerState, SignalMetadata } from '../../src-main/common/contract.ts';
import type { HealthState } from '../../src-main/common/health.ts';

/** What the machine list shows: machines whose name, id, area or line contains `text`, in `state` (null: any). */
export interface MachineListFilter {
  text: string;
  state: HealthState | null;
  /** Only machines with a forecast within its horizon. */
  predicted?: boolean;
}

/** Whether the view is linked to its host. */
export type HostLink = 'connecting' | 'connected' | 'lost';

/** Slow-changing view state: what React renders. Telemetry lives in the frame buffer instead. */
export interface ViewState {
  hostLink: HostLink;
  /** When the link to the host was last lost (ms since the epoch): since when what it last sent may no longer hold. */
  hostLostAt: number | undefined;
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
  /** A request to bring a machine into view (camera and machine list); `serial` grows with each, so asking twice flies twice. */
  focusRequest: { machine: number; serial: number } | null;
  /** The machine list's search and state filter. */
  listFilter: MachineListFilter;
}

/** The view's store. */
export const useViewStore = create<ViewState>(() => ({
  hostLink: 'connecting',
  hostLostAt: undefined,
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
  focusRequest: null,
  listFilter: { text: '', state: null },
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

/** Selects a machine and brings it into view: the camera frames it and the machine list scrolls to it. */
export function focusMachine(index: number): void {
  const serial = (useViewStore.getState().focusRequest?.serial ?? 0) + 1;
  useViewStore.setState({ selectedMachine: index, focusRequest: { machine: index, serial } });
}

/** Marks a machine as the one under the pointer (in the scene or the list), or none. */
export function hoverMachine(index: number | null): void {
  if (useViewStore.getState().hoveredMachine !== index) useViewStore.setState({ hoveredMachine: index });
}

/** Whether the view is replaying a recording now (rather than watching live). */
export function isReplaying(): boolean {
  return useViewStore.getState().player?.mode === 'replay';
}

/** Changes the machine list's search or state filter. */
export function filterMachineList(change: Partial<MachineListFilter>): void {
  useViewStore.setState((state) => ({ listFilter: { ...state.listFilter, ...change } }));
}

/**
 * Reports a request the host refused, as `what: why`. A request cut off by a lost connection is not
 * reported: the banner says the host is lost, and the request runs again once it is back.
 */
export function reportRequestProblem(what: string, error: unknown): void {
  if (error instanceof HostRequestError && error.code === 'disconnected') return;
  reportProblem(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Records a problem for the problems panel, once. */
export function reportProblem(problem: string): void {
  const { problems } = useViewStore.getState();
  if (!problems.includes(problem)) useViewStore.setState({ problems: [...problems, problem] });
}
