import { create } from 'zustand';
import type { PlantEdit, PlantEditorReply, PlantEditorRequest, PlantEditorState } from '../../src-main/common/plant-edit.ts';
import type { Plant } from '../../src-main/common/plant-schema.ts';
import { currentHost } from '../host-link.ts';
import { reportRequestProblem } from '../state/view-store.ts';

/** How the gizmo changes the selected machine: moves it on the floor, or turns it about the vertical. */
export type GizmoMode = 'move' | 'rotate';

/** The edit mode's state: what the host's plant editor says, and what this view is doing with it. */
export interface PlantEditorUiState {
  /** The host answered getPlantEditor: it serves with --edit, so the edit UI is shown. */
  available: boolean;
  /** Edit mode is on in this view. */
  editing: boolean;
  /** The editor's state and the plant with the edits not yet saved (undefined until the host has answered). */
  state: PlantEditorState | undefined;
  plant: Plant | undefined;
  /** The last refusal or note from the editor, shown in the toolbar until the next request. */
  message: { text: string; refused: boolean } | undefined;
  /** A request is under way. */
  busy: boolean;
  gizmoMode: GizmoMode;
  /** The "Add machine" panel is open. */
  addingMachine: boolean;
}

/** The edit mode's store. */
export const usePlantEditor = create<PlantEditorUiState>(() => ({
  available: false,
  editing: false,
  state: undefined,
  plant: undefined,
  message: undefined,
  busy: false,
  gizmoMode: 'move',
  addingMachine: false,
}));

/**
 * Asks the host once whether it edits its plant: a host started without --edit refuses, and then the view
 * shows no edit UI at all. Called after each link, since a host restarted without --edit no longer edits.
 */
export async function probePlantEditor(): Promise<void> {
  const host = currentHost();
  if (!host) return;
  try {
    const view = await host.request('getPlantEditor', {});
    usePlantEditor.setState({ available: true, state: view.state, plant: view.plant });
  } catch (error) {
    // The expected answer of a host without --edit: no edit mode, nothing to report.
    if (error instanceof Error && /not open for editing/.test(error.message)) usePlantEditor.setState({ available: false, editing: false });
    else reportRequestProblem('The plant editor did not answer', error);
  }
}

/** Fetches the editor's state and plant again when they changed since the last answer (asked about once a second while editing). */
export async function refreshPlantEditor(): Promise<void> {
  const host = currentHost();
  if (!host) return;
  const view = await host.request('getPlantEditor', {});
  const known = usePlantEditor.getState().state;
  if (!known || known.version !== view.state.version || known.changedOnDisk !== view.state.changedOnDisk) usePlantEditor.setState({ state: view.state, plant: view.plant });
}

/** Turns edit mode on or off (without an argument, toggles it). */
export function setEditing(editing = !usePlantEditor.getState().editing): void {
  usePlantEditor.setState({ editing, message: undefined, addingMachine: false });
  if (editing) void refreshPlantEditor().catch((error: unknown) => reportRequestProblem('The plant editor did not answer', error));
}

/** Sends a request to the host's plant editor and takes the plant it answers with; a refusal is shown, not thrown. */
export async function requestPlantEditor(request: PlantEditorRequest): Promise<PlantEditorReply | undefined> {
  const host = currentHost();
  if (!host) return undefined;
  usePlantEditor.setState({ busy: true });
  try {
    const reply = await host.request('editPlant', request);
    if (reply.ok) {
      usePlantEditor.setState({ state: reply.state, plant: reply.plant, message: reply.notes.length > 0 ? { text: reply.notes.join(' '), refused: false } : undefined });
    } else {
      usePlantEditor.setState({ state: reply.state, message: { text: reply.reason, refused: true } });
    }
    return reply;
  } catch (error) {
    usePlantEditor.setState({ message: { text: `The plant editor did not answer: ${error instanceof Error ? error.message : String(error)}`, refused: true } });
    return undefined;
  } finally {
    usePlantEditor.setState({ busy: false });
  }
}

/** Applies one editor action. */
export function applyPlantEdit(edit: PlantEdit): Promise<PlantEditorReply | undefined> {
  return requestPlantEditor({ action: 'apply', edit });
}
