import type { DragEvent } from 'react';
import type { BindingProposal } from '../../src-main/common/propose-binding.ts';
import { useViewStore } from '../state/view-store.ts';
import { bindToMachine, topicDragType } from './bind-topic.ts';
import { usePlantEditor } from './plant-editor-store.ts';

/** "Bind to <selected machine>" under a proposed binding, while editing with a machine selected. */
export function BindProposalButton({ proposal }: { proposal: BindingProposal }) {
  const editing = usePlantEditor((state) => state.editing);
  const selected = useViewStore((state) => state.selectedMachine);
  const description = useViewStore((state) => state.description);
  const plant = usePlantEditor((state) => state.plant);
  const machine = selected === null ? undefined : plant?.machines[selected];
  if (!editing || !proposal.ok || !machine || !description || !plant) return null;
  return (
    <button type="button" className="topic-bind" onClick={() => void bindToMachine(proposal.binding, { ...description, plant }, selected!)}>
      Bind to {machine.name}
    </button>
  );
}

/** Makes a topic row draggable onto a machine while editing (a topic that has had a message, so its payload can be read). */
export function useTopicDragProps(broker: string, topic: string, hasMessage: boolean): { draggable?: true; onDragStart?: (event: DragEvent) => void } {
  const editing = usePlantEditor((state) => state.editing);
  if (!editing || !hasMessage) return {};
  return {
    draggable: true,
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.setData(topicDragType, JSON.stringify({ broker, topic }));
      event.dataTransfer.effectAllowed = 'link';
    },
  };
}
