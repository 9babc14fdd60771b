import { useFrame } from '@react-three/fiber';
import { useRef } from 'react';
import { Vector3, type Mesh } from 'three';
import { useViewStore } from '../state/view-store.ts';
import type { MachineHandle, MachineRegistry } from './machine-registry.ts';

const size = new Vector3();
const centre = new Vector3();

/** Puts a floor ring around a machine, or hides it when there is none. */
function placeRing(mesh: Mesh, handle: MachineHandle | undefined): void {
  mesh.visible = handle !== undefined;
  if (!handle) return;
  handle.bounds.getSize(size);
  handle.bounds.getCenter(centre);
  const radius = Math.max(size.x, size.z) * 0.6 + 0.6;
  mesh.position.set(centre.x, 0.03, centre.z);
  mesh.scale.setScalar(radius);
}

/**
 * A ring on the floor around the selected machine, and a fainter, wider one around the machine under
 * the pointer in the scene or in the machine list, so a hovered row shows where its machine is.
 */
export function SelectionMarker({ registry }: { registry: MachineRegistry }) {
  const ring = useRef<Mesh>(null);
  const hoverRing = useRef<Mesh>(null);
  useFrame(() => {
    const { selectedMachine, hoveredMachine } = useViewStore.getState();
    if (ring.current) placeRing(ring.current, selectedMachine === null ? undefined : registry.handles[selectedMachine]);
    if (hoverRing.current) placeRing(hoverRing.current, hoveredMachine === null || hoveredMachine === selectedMachine ? undefined : registry.handles[hoveredMachine]);
  });
  return (
    <>
      <mesh ref={ring} rotation-x={-Math.PI / 2} visible={false}>
        <ringGeometry args={[0.92, 1, 64]} />
        <meshBasicMaterial color="#4fc3f7" transparent opacity={0.9} />
      </mesh>
      <mesh ref={hoverRing} rotation-x={-Math.PI / 2} visible={false} name="hover-ring">
        <ringGeometry args={[1.02, 1.1, 64]} />
        <meshBasicMaterial color="#e6edf3" transparent opacity={0.75} />
      </mesh>
    </>
  );
}
