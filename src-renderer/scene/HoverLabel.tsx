import { Html } from '@react-three/drei';
import { useMemo } from 'react';
import { Vector3 } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { useViewStore } from '../state/view-store.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** The hovered machine's name, floating above it. */
export function HoverLabel({ registry, machines }: { registry: MachineRegistry; machines: Machine[] }) {
  const hovered = useViewStore((state) => state.hoveredMachine);
  const handle = hovered === null ? undefined : registry.handles[hovered];
  const position = useMemo(() => {
    if (!handle) return undefined;
    const top = handle.bounds.getCenter(new Vector3());
    top.y = handle.bounds.max.y + 0.8;
    return top;
  }, [handle]);
  if (hovered === null || !position) return null;
  const machine = machines[hovered]!;
  return (
    <Html position={position} center zIndexRange={[20, 10]} className="hover-label" pointerEvents="none">
      <strong>{machine.name}</strong>
      <span>{machine.area} · {machine.line}</span>
    </Html>
  );
}
