import { Html } from '@react-three/drei';
import { useMemo } from 'react';
import type { Machine } from '../../src-main/common/plant-schema.ts';

interface AreaFloor {
  name: string;
  centre: [number, number];
  size: [number, number];
}

/** Margin around the outermost machines of an area, in metres. */
const margin = 5;

/** Marks each ISA-95 area on the floor, with its name, so a visitor can tell the melt shop from the mill. */
export function AreaFloors({ machines }: { machines: Machine[] }) {
  const areas = useMemo(() => floorsOf(machines), [machines]);
  return (
    <group>
      {areas.map((area) => (
        <group key={area.name} position={[area.centre[0], 0.002, area.centre[1]]}>
          <mesh rotation-x={-Math.PI / 2} receiveShadow>
            <planeGeometry args={area.size} />
            <meshStandardMaterial color="#454c56" roughness={0.9} />
          </mesh>
          <Html position={[-area.size[0] / 2 + 0.5, 0, -area.size[1] / 2 + 0.5]} className="area-label" pointerEvents="none" zIndexRange={[5, 0]}>
            {area.name}
          </Html>
        </group>
      ))}
    </group>
  );
}

function floorsOf(machines: Machine[]): AreaFloor[] {
  const bounds = new Map<string, [number, number, number, number]>();
  for (const machine of machines) {
    const [x, , z] = machine.position;
    const current = bounds.get(machine.area) ?? [x, z, x, z];
    bounds.set(machine.area, [Math.min(current[0], x), Math.min(current[1], z), Math.max(current[2], x), Math.max(current[3], z)]);
  }
  return [...bounds].map(([name, [minX, minZ, maxX, maxZ]]) => ({
    name,
    centre: [(minX + maxX) / 2, (minZ + maxZ) / 2],
    size: [maxX - minX + margin * 2, maxZ - minZ + margin * 2],
  }));
}
