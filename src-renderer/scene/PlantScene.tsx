import { OrbitControls } from '@react-three/drei';
import { Canvas } from '@react-three/fiber';
import { Component, Suspense, useMemo, type ReactNode } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { reportProblem, selectMachine } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { HoverLabel } from './HoverLabel.tsx';
import { MachineRegistry } from './machine-registry.ts';
import { ModelMachine, PrimitiveMachine } from './MachineModel.tsx';
import { placeholderPrimitive } from './model-node-selection.ts';
import { PlantStage } from './PlantStage.tsx';
import { PlantUpdater } from './PlantUpdater.tsx';
import { SceneProbe } from './SceneProbe.tsx';
import { SelectionMarker } from './SelectionMarker.tsx';

interface PlantSceneProps {
  description: PlantDescription;
  buffer: FrameBuffer;
}

/** The plant in 3D: lit floor, machines from their models, orbit controls, and the per-frame updater. */
export function PlantScene({ description, buffer }: PlantSceneProps) {
  const registry = useMemo(() => new MachineRegistry(), []);
  const signalIndicesByMachine = useMemo(() => signalIndices(description), [description]);
  const machines = description.plant.machines;
  return (
    <Canvas
      shadows="percentage"
      dpr={[1, 2]}
      camera={{ position: [30, 40, 60], fov: 40, near: 0.5, far: 2000 }}
      gl={{ antialias: true, preserveDrawingBuffer: true }}
      onPointerMissed={() => selectMachine(null)}
    >
      <color attach="background" args={['#1b1f24']} />
      <PlantStage machines={machines} registry={registry} />
      {machines.map((machine, machineIndex) => (
        <MachineBoundary
          key={machine.id}
          machine={machine}
          fallback={
            <PrimitiveMachine
              machine={{ ...machine, primitive: placeholderPrimitive(machine) }}
              machineIndex={machineIndex}
              signalIndices={signalIndicesByMachine[machineIndex]!}
              registry={registry}
            />
          }
        >
          <Suspense fallback={null}>
            {machine.model ? (
              <ModelMachine
                url={`${description.modelsBaseUrl}${machine.model.file}`}
                machine={machine}
                machineIndex={machineIndex}
                signalIndices={signalIndicesByMachine[machineIndex]!}
                registry={registry}
              />
            ) : (
              <PrimitiveMachine machine={machine} machineIndex={machineIndex} signalIndices={signalIndicesByMachine[machineIndex]!} registry={registry} />
            )}
          </Suspense>
        </MachineBoundary>
      ))}
      <PlantUpdater buffer={buffer} registry={registry} />
      <SelectionMarker registry={registry} />
      <HoverLabel registry={registry} machines={machines} />
      <SceneProbe registry={registry} machines={machines} />
      <OrbitControls makeDefault enableDamping maxPolarAngle={Math.PI / 2.05} />
    </Canvas>
  );
}

function signalIndices(description: PlantDescription): Array<Map<string, number>> {
  const result = description.plant.machines.map(() => new Map<string, number>());
  description.signalKeys.forEach((key, signalIndex) => {
    const machineIndex = description.signalMachine[signalIndex]!;
    result[machineIndex]!.set(key.slice(key.indexOf('/') + 1), signalIndex);
  });
  return result;
}

/** A machine whose model fails to load is reported and drawn as a placeholder; the rest of the plant still shows. */
class MachineBoundary extends Component<{ machine: Machine; fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    const machine = this.props.machine;
    const detail = error instanceof Error ? error.message : String(error);
    reportProblem(`${machine.id}: cannot show model ${machine.model?.file ?? ''} — ${detail}`);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
