import { TransformControls } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Box3, MathUtils, Vector3, type Group, type Object3D } from 'three';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { MachineRegistry } from '../scene/machine-registry.ts';
import { useViewStore } from '../state/view-store.ts';
import { gizmoEdit } from './gizmo-edit.ts';
import { gridStep, noteGizmoDrag, setSceneAccess, snapTo, turnStep } from './edit-scene.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';
import { useMachineFloorDrag } from './use-machine-floor-drag.ts';

/** Whether Shift is held: it turns snapping off while dragging the gizmo. */
function useShiftHeld(): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => setHeld(event.shiftKey);
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKey);
    };
  }, []);
  return held;
}

/**
 * The gizmo on the selected machine: drags it on the floor (x and z) or turns it about the vertical,
 * snapping to the grid (0.5 m, 15°) unless Shift is held; in move mode the machine's body can be dragged
 * on the floor too. The outline of the machine follows the gizmo;
 * one move or rotate action is sent on release, never one per pointer move.
 */
function MachineGizmo({ description, registry, machineIndex }: { description: PlantDescription; registry: MachineRegistry; machineIndex: number }) {
  const mode = usePlantEditor((state) => state.gizmoMode);
  const shift = useShiftHeld();
  const group = useRef<Group>(null);
  const gizmo = useRef<{ axis?: string | null }>(null);
  const machine = description.plant.machines[machineIndex];
  // The outline's size and centre relative to the machine's place, from the drawn bounds (2 m each way until its model is in).
  const outline = useMemo(() => {
    const bounds = registry.handles[machineIndex]?.bounds;
    const box = bounds && !bounds.isEmpty() ? bounds.clone() : new Box3(new Vector3(-1, 0, -1), new Vector3(1, 2, 1)).translate(new Vector3(...(machine?.position ?? [0, 0, 0])));
    const size = box.getSize(new Vector3());
    // The bounds are in the world's axes; the outline sits in the machine's turned frame, so it is turned back.
    const turn = MathUtils.degToRad(machine?.rotation ?? 0);
    const centre = box.getCenter(new Vector3()).sub(new Vector3(...(machine?.position ?? [0, 0, 0]))).applyAxisAngle(new Vector3(0, 1, 0), -turn);
    return { size: [Math.max(size.x, 0.1), Math.max(size.y, 0.1), Math.max(size.z, 0.1)] as const, centre: [centre.x, centre.y, centre.z] as const, turn: -turn };
  }, [registry, machineIndex, machine]);
  // A refused move leaves the machine where it was: so does its outline.
  const putBackUnlessDone = (reply: { ok: boolean } | undefined) => {
    if (reply?.ok || !group.current || !machine) return;
    group.current.position.set(...machine.position);
    group.current.rotation.set(0, MathUtils.degToRad(machine.rotation), 0);
  };
  const release = () => {
    if (!machine) return;
    noteGizmoDrag(false);
    const object = group.current;
    if (!object) return;
    const edit = gizmoEdit(machine, mode, { x: object.position.x, z: object.position.z, turn: object.rotation.y });
    if (edit) void applyPlantEdit(edit).then(putBackUnlessDone);
  };
  useMachineFloorDrag({ group, gizmo, registry, machineIndex, enabled: mode === 'move', onRelease: release });
  if (!machine) return null;
  return (
    <>
      <group ref={group} position={machine.position} rotation={[0, MathUtils.degToRad(machine.rotation), 0]}>
        <mesh position={outline.centre} rotation={[0, outline.turn, 0]} raycast={noRaycast}>
          <boxGeometry args={outline.size} />
          <meshBasicMaterial color="#5fb3ff" wireframe transparent opacity={0.6} depthTest={false} />
        </mesh>
      </group>
      <TransformControls
        ref={gizmo as RefObject<never>}
        object={group as RefObject<Object3D>}
        mode={mode === 'move' ? 'translate' : 'rotate'}
        showX={mode === 'move'}
        showY={mode === 'rotate'}
        showZ={mode === 'move'}
        translationSnap={shift ? null : gridStep}
        rotationSnap={shift ? null : MathUtils.degToRad(turnStep)}
        onMouseDown={() => noteGizmoDrag(true)}
        onMouseUp={release}
      />
    </>
  );
}

/** The outline is only a picture: pointer events go through it to the machines. */
function noRaycast(): void {}

/** The edit mode's parts inside the 3D canvas: what the tools outside it need (camera, renderer, machines), and the gizmo. */
export function EditSceneTools({ description, registry }: { description: PlantDescription; registry: MachineRegistry }) {
  const camera = useThree((state) => state.camera);
  const renderer = useThree((state) => state.gl);
  const controls = useThree((state) => state.controls) as { target?: Vector3 } | null;
  const editing = usePlantEditor((state) => state.editing);
  const selected = useViewStore((state) => state.selectedMachine);
  useEffect(() => {
    setSceneAccess({ camera, renderer, canvas: renderer.domElement, registry, target: controls?.target });
    return () => setSceneAccess(undefined);
  }, [camera, renderer, registry, controls]);
  const machine = selected === null ? undefined : description.plant.machines[selected];
  if (!editing || selected === null || !machine) return null;
  // A new place or turn from the host puts the gizmo there afresh.
  return <MachineGizmo key={`${selected}:${machine.position.join(',')}:${machine.rotation}`} description={description} registry={registry} machineIndex={selected} />;
}
