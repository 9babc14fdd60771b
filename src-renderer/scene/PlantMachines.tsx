import { Component, Suspense, useMemo, type ReactNode } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { reportProblem } from '../state/view-store.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { ModelKind, PrimitiveKind, type KindMember } from './MachineModel.tsx';
import { placeholderPrimitive } from './model-node-selection.ts';
import { ProgramWarmup } from './ProgramWarmup.tsx';
import { spatialCells } from './spatial-cells.ts';

/** Machines that are drawn alike: the same model entry (file, nodes, units, placement) or the same primitive. */
interface MachineKind {
  key: string;
  members: KindMember[];
}

/**
 * Every machine of the plant, grouped into kinds that are each drawn as instances; a kind whose model
 * cannot be shown is reported and drawn as placeholders, and the rest of the plant still shows.
 */
export function PlantMachines({ description, registry }: { description: PlantDescription; registry: MachineRegistry }) {
  const kinds = useMemo(() => machineKinds(description), [description]);
  return (
    <>
      {kinds.map(({ key, members }) => {
        const first = members[0]!.machine;
        const fallback = <PrimitiveKind name={`${key} (placeholder)`} members={members} registry={registry} primitive={placeholderPrimitive(first)} />;
        return (
          <KindBoundary key={key} members={members} fallback={fallback}>
            <Suspense fallback={null}>
              {first.model ? (
                <ModelKind
                  name={key}
                  url={`${description.modelsBaseUrl}${first.model.file}`}
                  farUrl={first.model.lod === undefined ? undefined : `${description.modelsBaseUrl}${first.model.lod}`}
                  members={members}
                  registry={registry}
                />
              ) : (
                <PrimitiveKind name={key} members={members} registry={registry} primitive={first.primitive!} />
              )}
            </Suspense>
          </KindBoundary>
        );
      })}
      <ProgramWarmup registry={registry} />
    </>
  );
}

/** The plant's machines by kind, in plant order, each with its signals and spatial cell. */
export function machineKinds(description: PlantDescription): MachineKind[] {
  const machines = description.plant.machines;
  const signals = machines.map(() => new Map<string, number>());
  description.signalKeys.forEach((key, signalIndex) => {
    signals[description.signalMachine[signalIndex]!]?.set(key.slice(key.indexOf('/') + 1), signalIndex);
  });
  const cells = spatialCells(machines.map((machine) => machine.position));
  const kinds = new Map<string, MachineKind>();
  machines.forEach((machine, machineIndex) => {
    const key = kindKey(machine);
    const kind = kinds.get(key) ?? { key, members: [] };
    kind.members.push({ machine, machineIndex, signalIndices: signals[machineIndex]!, cell: cells.cellOf(machine.position[0], machine.position[2]) });
    kinds.set(key, kind);
  });
  return [...kinds.values()];
}

function kindKey(machine: Machine): string {
  return machine.model ? `model:${JSON.stringify(machine.model)}` : `primitive:${JSON.stringify(machine.primitive)}`;
}

/** A kind whose model fails to load is reported and drawn as placeholders; the rest of the plant still shows. */
class KindBoundary extends Component<{ members: readonly KindMember[]; fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    const [first, ...others] = this.props.members;
    const machine = first!.machine;
    const detail = error instanceof Error ? error.message : String(error);
    const more = others.length > 0 ? ` (and ${others.length} more machine${others.length === 1 ? '' : 's'} of this model)` : '';
    reportProblem(`${machine.id}: cannot show model ${machine.model?.file ?? ''} — ${detail}${more}`);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
