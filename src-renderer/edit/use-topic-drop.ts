import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { bindDroppedTopic, droppedTopic, topicDragType } from './bind-topic.ts';
import { machineAtScreen } from './edit-scene.ts';
import { usePlantEditor } from './plant-editor-store.ts';
import { addMachineFromDroppedFiles } from './upload-model.ts';

/** The machine a drop lands on: a machine list row, or the machine drawn under the pointer in the scene. */
function machineUnder(event: DragEvent, description: PlantDescription): number | undefined {
  const target = event.target instanceof Element ? event.target : null;
  const row = target?.closest('.machine-list [data-machine]');
  if (row) {
    const index = description.plant.machines.findIndex((machine) => machine.id === row.getAttribute('data-machine'));
    return index >= 0 ? index : undefined;
  }
  if (target instanceof HTMLCanvasElement && target.closest('.viewport')) return machineAtScreen(event.clientX, event.clientY);
  return undefined;
}

/** Marks the machine list row a topic is dragged over; the scene has no mark of its own. */
function markDropTarget(element: Element | null): void {
  for (const marked of document.querySelectorAll('.edit-drop-target')) if (marked !== element) marked.classList.remove('edit-drop-target');
  element?.classList.add('edit-drop-target');
}

/**
 * While editing, a topic dragged from the topic explorer binds to the machine (list row or scene) it is
 * dropped on, and a GLB (or a glTF with its files) dropped on the window is uploaded and added as a machine.
 */
export function useTopicDrop(description: PlantDescription): void {
  useEffect(() => {
    const carriesTopic = (event: DragEvent) => usePlantEditor.getState().editing && (event.dataTransfer?.types.includes(topicDragType) ?? false);
    const onDragOver = (event: DragEvent) => {
      if (!carriesTopic(event)) return;
      const machine = machineUnder(event, description);
      markDropTarget(machine === undefined ? null : event.target instanceof Element ? (event.target.closest('.machine-list [data-machine]') ?? event.target.closest('.viewport')) : null);
      if (machine !== undefined) {
        event.preventDefault();
        event.dataTransfer!.dropEffect = 'link';
      }
    };
    const onDrop = (event: DragEvent) => {
      // A model dropped while editing (a .glb, or a .gltf with its files) is uploaded and becomes a machine; anything else is the window's (recordings).
      const files = [...(event.dataTransfer?.files ?? [])];
      if (usePlantEditor.getState().editing && files.some((file) => /\.(glb|gltf)$/i.test(file.name))) {
        event.preventDefault();
        event.stopPropagation();
        void addMachineFromDroppedFiles(files);
        return;
      }
      if (!carriesTopic(event)) return;
      markDropTarget(null);
      const topic = droppedTopic(event.dataTransfer!.getData(topicDragType));
      const machine = machineUnder(event, description);
      if (!topic || machine === undefined) return;
      event.preventDefault();
      // Handled here: the window's own drop handler (recordings) must not see it.
      event.stopPropagation();
      void bindDroppedTopic(topic, description, machine);
    };
    const onDragEnd = () => markDropTarget(null);
    // Capture: before the window's recording drop handler.
    window.addEventListener('dragover', onDragOver, true);
    window.addEventListener('drop', onDrop, true);
    window.addEventListener('dragend', onDragEnd, true);
    return () => {
      window.removeEventListener('dragover', onDragOver, true);
      window.removeEventListener('drop', onDrop, true);
      window.removeEventListener('dragend', onDragEnd, true);
    };
  }, [description]);
}
