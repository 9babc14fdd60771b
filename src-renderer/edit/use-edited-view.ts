import { useEffect, useMemo, useRef } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { useViewStore } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { editDescription } from './edit-description.ts';
import { probePlantEditor, usePlantEditor } from './plant-editor-store.ts';
import { useEditBuffer } from './use-edit-buffer.ts';

/** Keeps the same machine selected (by id) when the shown plant changes: machines move in the list as machines are added and removed. */
function useSelectionById(shown: PlantDescription): void {
  const last = useRef(shown);
  useEffect(() => {
    const before = last.current;
    last.current = shown;
    if (before === shown) return;
    const selected = useViewStore.getState().selectedMachine;
    if (selected === null) return;
    const id = before.plant.machines[selected]?.id;
    const index = id === undefined ? -1 : shown.plant.machines.findIndex((machine) => machine.id === id);
    if (index !== selected) useViewStore.setState({ selectedMachine: index >= 0 ? index : null });
  }, [shown]);
}

/**
 * What the view shows: the running plant and its telemetry, or in edit mode the plant with the edits not
 * yet saved, with the running telemetry on the machines and signals it shares. Asks the host, on each
 * link, whether it edits its plant at all.
 */
export function useEditedView(description: PlantDescription, buffer: FrameBuffer): { description: PlantDescription; buffer: FrameBuffer } {
  useEffect(() => {
    void probePlantEditor();
  }, [description]);
  const editing = usePlantEditor((state) => state.editing);
  const plant = usePlantEditor((state) => state.plant);
  const edited = useMemo(() => (editing && plant ? editDescription(plant, description) : undefined), [editing, plant, description]);
  const shownBuffer = useEditBuffer(description, buffer, edited);
  const shown = edited ?? description;
  useSelectionById(shown);
  return { description: shown, buffer: shownBuffer };
}
