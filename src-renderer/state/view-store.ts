import { create } from 'zustand';
import type { ConnectionStatus, Diagnostics, PlantDescription, PlayerState } from '../../src-main/common/contract.ts';

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
  /** Problems loading models, one line each, shown to the user. */
  modelProblems: string[];
  /** Bumped to ask the scene to frame the whole plant again. */
  fitRequest: number;
  /** Live or replay, where, how fast; undefined until the host has said. */
  player: PlayerState | undefined;
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
  modelProblems: [],
  fitRequest: 0,
  player: undefined,
}));

/** Selects a machine (or none); selecting the selected one again keeps it. */
export function selectMachine(index: number | null): void {
  useViewStore.setState({ selectedMachine: index });
}

/** Records a model problem once. */
export function reportModelProblem(problem: string): void {
  const { modelProblems } = useViewStore.getState();
  if (!modelProblems.includes(problem)) useViewStore.setState({ modelProblems: [...modelProblems, problem] });
}
