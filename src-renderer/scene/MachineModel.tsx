import { useThree, type ThreeEvent } from '@react-three/fiber';
import { use, useEffect, useMemo, useRef } from 'react';
import { Box3, BoxGeometry, Color, CylinderGeometry, Group, Mesh, MeshStandardMaterial, type Object3D, SphereGeometry } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { reportProblem, selectMachine, useViewStore } from '../state/view-store.ts';
import type { MachineHandle, MachineRegistry, PropertyTarget, SpinTarget, TintedMaterial } from './machine-registry.ts';
import { loadModel } from './model-loader.ts';
import { machineTemplate } from './model-node-selection.ts';

interface MachineProps {
  machine: Machine;
  machineIndex: number;
  /** Signal index of each of the machine's signals, by signal id. */
  signalIndices: Map<string, number>;
  registry: MachineRegistry;
}

/** A machine drawn from its glTF model: the nodes its model entry names, in plant metres (see `machineTemplate`). */
export function ModelMachine({ url, ...props }: MachineProps & { url: string }) {
  const renderer = useThree((state) => state.gl);
  // Suspends this machine alone until its file is in; a failure goes to the machine's error boundary.
  const gltf = use(loadModel(url, renderer));
  const object = useMemo(() => machineTemplate(gltf.scene, { id: props.machine.id, model: props.machine.model! }), [gltf, props.machine]);
  return <MachineObject {...props} object={object} />;
}

/** A machine drawn as a primitive shape, for plants without models. */
export function PrimitiveMachine(props: MachineProps) {
  const primitive = props.machine.primitive!;
  const object = useMemo(() => {
    const [width, height, depth] = primitive.size;
    const geometry =
      primitive.shape === 'box'
        ? new BoxGeometry(width, height, depth)
        : primitive.shape === 'cylinder'
          ? new CylinderGeometry(width / 2, width / 2, height, 32)
          : new SphereGeometry(width / 2, 32, 16);
    const mesh = new Mesh(geometry, new MeshStandardMaterial({ color: primitive.color, roughness: 0.6, metalness: 0.2 }));
    mesh.name = props.machine.id;
    mesh.position.y = primitive.shape === 'sphere' ? width / 2 : height / 2;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    const group = new Group();
    group.add(mesh);
    return group;
  }, [primitive, props.machine.id]);
  return <MachineObject {...props} object={object} />;
}

/** Places a machine, gives it materials of its own, and registers what the frame loop animates. */
function MachineObject({ machine, machineIndex, signalIndices, registry, object }: MachineProps & { object: Object3D }) {
  const groupRef = useRef<Group>(null);

  useEffect(() => {
    const group = groupRef.current;
    if (!group) return;
    const handle = prepareHandle(machine, machineIndex, signalIndices, group, object);
    return registry.register(handle);
  }, [machine, machineIndex, signalIndices, registry, object]);

  const onPointerOver = (event: ThreeEvent<PointerEvent>) => {
    event.stopPropagation();
    useViewStore.setState({ hoveredMachine: machineIndex });
    document.body.style.cursor = 'pointer';
  };
  const onPointerOut = () => {
    if (useViewStore.getState().hoveredMachine === machineIndex) useViewStore.setState({ hoveredMachine: null });
    document.body.style.cursor = '';
  };
  const onClick = (event: ThreeEvent<MouseEvent>) => {
    event.stopPropagation();
    selectMachine(machineIndex);
  };

  return (
    <group
      ref={groupRef}
      name={`machine:${machine.id}`}
      position={machine.position}
      rotation={[0, (machine.rotation * Math.PI) / 180, 0]}
      onPointerOver={onPointerOver}
      onPointerOut={onPointerOut}
      onClick={onClick}
    >
      <primitive object={object} />
    </group>
  );
}

function prepareHandle(machine: Machine, machineIndex: number, signalIndices: Map<string, number>, group: Group, object: Object3D): MachineHandle {
  const materials: TintedMaterial[] = [];
  object.traverse((child) => {
    const mesh = child as Mesh;
    if (!mesh.isMesh) return;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    const source = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    const own = source.map((material) => {
      // Each machine tints on its own: shared model materials would colour every machine alike.
      const copy = material instanceof MeshStandardMaterial ? material.clone() : new MeshStandardMaterial({ color: new Color('#8a9099') });
      materials.push({ material: copy, baseColor: copy.color.clone(), baseOpacity: copy.opacity, baseTransparent: copy.transparent });
      return copy;
    });
    mesh.material = Array.isArray(mesh.material) ? own : own[0]!;
  });
  const properties: PropertyTarget[] = [];
  const spins: SpinTarget[] = [];
  for (const binding of machine.animations) {
    const target = object.getObjectByName(binding.node);
    const signalIndex = signalIndices.get(binding.signal);
    if (!target) {
      reportProblem(`${machine.id}: the model has no node "${binding.node}" to animate`);
      continue;
    }
    if (signalIndex === undefined) continue;
    if ('spin' in binding) spins.push({ object: target, binding, signalIndex, baseAngle: target.rotation[binding.spin], angle: 0 });
    else properties.push({ object: target, binding, signalIndex });
  }
  group.updateWorldMatrix(true, true);
  return { machineIndex, root: group, bounds: new Box3().setFromObject(group), materials, properties, spins, appliedHealth: -1 };
}
