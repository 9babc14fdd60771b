import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { selectMachine, useViewStore } from '../state/view-store.ts';
import './edit.css';
import { applyPlantEdit, refreshPlantEditor, requestPlantEditor, setEditing, usePlantEditor, type GizmoMode } from './plant-editor-store.ts';
import { reportRequestProblem } from '../state/view-store.ts';

/** How often the editor's state is asked for while editing: another view's edits and a change on disk show within it. */
const refreshMs = 1000;

/** Whether a key event was typed into a field, where the editor's keys must not act. */
function typing(event: KeyboardEvent): boolean {
  const target = event.target;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * The editor's keys while editing: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo, Ctrl+S save, Ctrl+D duplicate
 * and Delete remove the selected machine. Ctrl+S is taken from the browser even in a field, as users expect.
 */
function useEditKeys(description: PlantDescription): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!usePlantEditor.getState().editing) return;
      const control = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (control && key === 's') {
        event.preventDefault();
        void requestPlantEditor({ action: 'save' });
        return;
      }
      if (typing(event)) return;
      const selected = useViewStore.getState().selectedMachine;
      const machine = selected === null ? undefined : description.plant.machines[selected];
      if (control && key === 'z') {
        event.preventDefault();
        void requestPlantEditor({ action: event.shiftKey ? 'redo' : 'undo' });
      } else if (control && key === 'y') {
        event.preventDefault();
        void requestPlantEditor({ action: 'redo' });
      } else if (control && key === 'd' && machine) {
        event.preventDefault();
        void applyPlantEdit({ type: 'duplicateMachine', machineId: machine.id });
      } else if (event.key === 'Delete' && machine && !control) {
        event.preventDefault();
        selectMachine(null);
        void applyPlantEdit({ type: 'deleteMachine', machineId: machine.id });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [description]);
}

/** Asks for the editor's state about once a second while editing. */
function useEditorRefresh(editing: boolean): void {
  useEffect(() => {
    if (!editing) return;
    const timer = setInterval(() => {
      refreshPlantEditor().catch((error: unknown) => reportRequestProblem('The plant editor did not answer', error));
    }, refreshMs);
    return () => clearInterval(timer);
  }, [editing]);
}

/**
 * The edit mode's toolbar, shown only when the host edits its plant (`serve --edit`): the Edit toggle;
 * while editing, undo, redo, save, revert, add machine, move or rotate, the unsaved-changes state, the
 * editor's last word, and a banner when the file changed on disk.
 */
export function EditToolbar({ description }: { description: PlantDescription }) {
  const { available, editing, state, message, busy, gizmoMode, addingMachine } = usePlantEditor();
  useEditKeys(description);
  useEditorRefresh(editing);
  if (!available) return null;
  if (!editing) {
    return (
      <div className="edit-toolbar" role="toolbar" aria-label="Plant editor">
        <button type="button" onClick={() => setEditing(true)} aria-pressed="false">
          Edit
        </button>
      </div>
    );
  }
  const gizmoButton = (mode: GizmoMode, label: string) => (
    <button type="button" aria-pressed={gizmoMode === mode} onClick={() => usePlantEditor.setState({ gizmoMode: mode })}>
      {label}
    </button>
  );
  return (
    <div className="edit-toolbar edit-toolbar-open" role="toolbar" aria-label="Plant editor">
      <button type="button" onClick={() => setEditing(false)} aria-pressed="true" title="Leave edit mode (unsaved edits stay in the editor)">
        Edit
      </button>
      <span className="edit-file">
        {state?.fileName}
        <span className={state?.unsaved ? 'edit-unsaved' : 'edit-saved'} data-unsaved={state?.unsaved ? 'true' : 'false'}>
          {state?.unsaved ? ' ● unsaved changes' : ' saved'}
        </span>
      </span>
      <button type="button" disabled={busy || !state?.undo} onClick={() => void requestPlantEditor({ action: 'undo' })} title={state?.undo ? `Undo ${state.undo} (Ctrl+Z)` : 'Nothing to undo'}>
        Undo
      </button>
      <button type="button" disabled={busy || !state?.redo} onClick={() => void requestPlantEditor({ action: 'redo' })} title={state?.redo ? `Redo ${state.redo} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
        Redo
      </button>
      <button type="button" disabled={busy || !state?.unsaved} onClick={() => void requestPlantEditor({ action: 'save' })} title="Write the plant file (Ctrl+S); the saved plant runs at once">
        Save
      </button>
      <button type="button" disabled={busy || !state?.unsaved} onClick={() => void requestPlantEditor({ action: 'revert' })} title="Drop the unsaved edits and load the file as it is on disk">
        Revert
      </button>
      <span className="edit-separator" />
      <button type="button" aria-pressed={addingMachine} onClick={() => usePlantEditor.setState({ addingMachine: !addingMachine })}>
        Add machine
      </button>
      {gizmoButton('move', 'Move')}
      {gizmoButton('rotate', 'Rotate')}
      {message ? (
        <span className={message.refused ? 'edit-message edit-refused' : 'edit-message'} role="status">
          {message.text}
        </span>
      ) : null}
      {state?.changedOnDisk ? (
        <div className="edit-conflict" role="alert">
          {state.fileName} was changed on disk since it was loaded.
          <button type="button" onClick={() => void requestPlantEditor({ action: 'save', overwrite: true })}>
            Save over it
          </button>
          <button type="button" onClick={() => void requestPlantEditor({ action: 'revert' })}>
            Reload from disk
          </button>
        </div>
      ) : null}
    </div>
  );
}
