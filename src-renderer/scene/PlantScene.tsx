import { Canvas } from '@react-three/fiber';
import { useMemo } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { selectMachine } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { HoverLabel } from './HoverLabel.tsx';
import { MachineFocuser } from './MachineFocuser.tsx';
import { MachineRegistry } from './machine-registry.ts';
import { PlantMachines } from './PlantMachines.tsx';
import { PlantStage } from './PlantStage.tsx';
import { PlantUpdater } from './PlantUpdater.tsx';
import { PredictedMarkers } from './PredictedMarkers.tsx';
import { SceneProbe } from './SceneProbe.tsx';
import { SelectionMarker } from './SelectionMarker.tsx';
import { clickBelongsToGizmo } from '../edit/edit-scene.ts';
import { EditSceneTools } from '../edit/EditSceneTools.tsx';
import { TourCamera } from '../tours/TourCamera.tsx';
import { PictureSource } from '../capture/PictureSource.tsx';
import { IdleOrbitControls } from './IdleOrbitControls.tsx';

interface PlantSceneProps {
  description: PlantDescription;
  buffer: FrameBuffer;
}

/** The plant in 3D: lit floor, machines from their models, orbit controls, and the per-frame updater. */
export function PlantScene({ description, buffer }: PlantSceneProps) {
  const registry = useMemo(() => new MachineRegistry(), []);
  const machines = description.plant.machines;
  return (
    <Canvas
      shadows="percentage"
      dpr={[1, 2]}
      camera={{ position: [30, 40, 60], fov: 40, near: 0.5, far: 2000 }}
      gl={{ antialias: true, preserveDrawingBuffer: true }}
      // Only a left click on empty space deselects: a right-drag pan ends in a contextmenu event, which is no such click.
      onPointerMissed={(event) => event.type === 'click' && event.button === 0 && !clickBelongsToGizmo() && selectMachine(null)}
    >
      <color attach="background" args={['#1b1f24']} />
      <PlantStage machines={machines} registry={registry} />
      <PlantMachines description={description} registry={registry} />
      <PlantUpdater buffer={buffer} registry={registry} />
      <SelectionMarker registry={registry} />
      <PredictedMarkers registry={registry} machineCount={machines.length} />
      <EditSceneTools description={description} registry={registry} />
      <MachineFocuser registry={registry} />
      <TourCamera />
      <HoverLabel registry={registry} machines={machines} />
      <SceneProbe registry={registry} machines={machines} />
      <PictureSource buffer={buffer} />
      <IdleOrbitControls maxPolarAngle={Math.PI / 2.05} />
    </Canvas>
  );
}
