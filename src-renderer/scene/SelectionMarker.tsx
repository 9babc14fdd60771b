import { useFrame } from '@react-three/fiber';
import { useRef } from 'react';
import { Vector3, type Mesh } from 'three';
import { useViewStore } from '../state/view-store.ts';
import type { MachineRegistry } from './machine-registry.ts';

const size = new Vector3();
const centre = new Vector3();

/** A ring on the floor around the selected machine. */
export function SelectionMarker({ registry }: { registry: MachineRegistry }) {
  const ring = useRef<Mesh>(null);
  useFrame(() => {
    const mesh = ring.current;
    if (!mesh) return;
    const selected = useViewStore.getState().selectedMachine;
    const handle = selected === null ? undefined : registry.handles[selected];
    mesh.visible = handle !== undefined;
    if (!handle) return;
    handle.bounds.getSize(size);
    handle.bounds.getCenter(centre);
    const radius = Math.max(size.x, size.z) * 0.6 + 0.6;
    mesh.position.set(centre.x, 0.03, centre.z);
    mesh.scale.setScalar(radius);
  });
  return (
    <mesh ref={ring} rotation-x={-Math.PI / 2} visible={false}>
      <ringGeometry args={[0.92, 1, 64]} />
      <meshBasicMaterial color="#4fc3f7" transparent opacity={0.9} />
    </mesh>
  );
}
