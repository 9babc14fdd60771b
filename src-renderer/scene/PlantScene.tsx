import { OrbitControls } from '@react-three/drei';
import { Canvas } from '@react-three/fiber';
import { Component, Suspense, useMemo, type ReactNode } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { reportProblem, selectMachine } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { AreaFloors } from './AreaFloors.tsx';
import { CameraFitter } from './CameraFitter.tsx';
import { HoverLabel } from './HoverLabel.tsx';
import { MachineRegistry } from './machine-registry.ts';
import { ModelMachine, PrimitiveMachine } from './MachineModel.tsx';
import { placeholderPrimitive } from './model-node-selection.ts';
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
      <fog attach="fog" args={['#1b1f24', 150, 400]} />
      <hemisphereLight args={['#dfe8f2', '#3a3f46', 1.1]} />
      <directionalLight
        position={[40, 70, 35]}
        intensity={2.2}
        castShadow
        shadow-mapSize={[1024, 1024]}
        shadow-camera-left={-90}
        shadow-camera-right={90}
        shadow-camera-top={60}
        shadow-camera-bottom={-60}
        shadow-camera-far={250}
        shadow-bias={-0.0004}
      />
      <directionalLight position={[-50, 30, -40]} intensity={0.5} />
      <mesh rotation-x={-Math.PI / 2} receiveShadow position-y={-0.01}>
        <planeGeometry args={[600, 600]} />
        <meshStandardMaterial color="#3b4048" roughness={0.95} metalness={0} />
      </mesh>
      <gridHelper args={[400, 80, '#5b636e', '#464d57']} position-y={0.02} />
      <AreaFloors machines={machines} />
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
      <CameraFitter registry={registry} machineCount={machines.length} />
      <SceneProbe registry={registry} machines={machines} />
      <OrbitControls makeDefault enableDamping maxPolarAngle={Math.PI / 2.05} minDistance={3} maxDistance={400} />
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
