import { useFrame, useThree, type ThreeEvent } from '@react-three/fiber';
import { use, useEffect, useMemo } from 'react';
import { BoxGeometry, CylinderGeometry, Group, Mesh, MeshStandardMaterial, type Object3D, SphereGeometry } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { reportProblem, selectMachine, useViewStore } from '../state/view-store.ts';
import { withFarLevels, withFileFarLevel } from './far-level.ts';
import { InstancedKind, machineAt, type KindPlacement, type MachineInstance } from './instanced-kind.ts';
import { buildKindModel, type KindModel } from './kind-model.ts';
import type { MachineHandle, MachineRegistry, PropertyTarget, SpinTarget } from './machine-registry.ts';
import { loadFarModel, loadModel } from './model-loader.ts';
import { machineTemplate } from './model-node-selection.ts';
import { useBackgroundFarLevels } from './use-background-far-levels.ts';

/** One machine of a kind, with what its handle needs. */
export interface KindMember {
  machine: Machine;
  machineIndex: number;
  /** Signal index of each of the machine's signals, by signal id. */
  signalIndices: Map<string, number>;
  /** Its spatial cell (see `spatialCells`). */
  cell: number;
}

interface KindProps {
  /** The kind's name, for the scene graph and problems. */
  name: string;
  members: readonly KindMember[];
  registry: MachineRegistry;
}

/**
 * The machines that share one model entry, drawn as instances of its template, with far levels
 * simplified in the background, the first from `farUrl` (the plant's `lod` file) when it is given and loads.
 */
export function ModelKind({ url, farUrl, ...props }: KindProps & { url: string; farUrl?: string }) {
  const renderer = useThree((state) => state.gl);
  // Suspends this kind alone until its file is in; a failure goes to the kind's error boundary.
  const gltf = use(loadModel(url, renderer));
  const first = props.members[0]!.machine;
  // A far file that fails is reported (by loadFarModel) and the kind still shows, simplified here instead.
  const farGltf = farUrl === undefined ? undefined : use(loadFarModel(farUrl, renderer, first.id));
  // Every edit of the plant gives new machine objects: the template follows the loaded file alone, as the
  // model entry is this kind's key (a changed entry is another kind) and the machine's id only names it in
  // an error. Otherwise each edit, a rename included, would hide the kind until its far levels were made again.
  const { id, model } = first;
  // The loading seam: the template every machine of the kind is drawn from, in plant metres (see `machineTemplate`).
  const template = useMemo(() => machineTemplate(gltf.scene, { id, model: model! }), [gltf]);
  const farTemplate = useMemo(() => (farGltf ? machineTemplate(farGltf.scene, { id, model: model! }) : undefined), [farGltf]);
  return <InstancedMachines {...props} template={template} farTemplate={farTemplate} simplify />;
}

/** Machines drawn as one primitive shape, for plants without models and for models that cannot be shown. */
export function PrimitiveKind({ primitive, ...props }: KindProps & { primitive: NonNullable<Machine['primitive']> }) {
  const template = useMemo(() => {
    const [width, height, depth] = primitive.size;
    const geometry =
      primitive.shape === 'box'
        ? new BoxGeometry(width, height, depth)
        : primitive.shape === 'cylinder'
          ? new CylinderGeometry(width / 2, width / 2, height, 32)
          : new SphereGeometry(width / 2, 32, 16);
    const mesh = new Mesh(geometry, new MeshStandardMaterial({ color: primitive.color, roughness: 0.6, metalness: 0.2 }));
    mesh.position.y = primitive.shape === 'sphere' ? width / 2 : height / 2;
    const group = new Group();
    group.add(mesh);
    return group;
  }, [primitive]);
  return <InstancedMachines {...props} template={template} />;
}

/**
 * Builds the kind's instanced batches (with far levels simplified in the background when `simplify`,
 * the first taken from `farTemplate` when given), registers each machine's handle, picks machines by
 * instance, and moves machines between levels as the camera moves. A kind that is simplified appears
 * once its far levels are made: a large site's first frames are never drawn all at full detail.
 */
function InstancedMachines({ name, members, registry, template, farTemplate, simplify = false }: KindProps & { template: Object3D; farTemplate?: Object3D; simplify?: boolean }) {
  // By content: moving a machine gives new members, but the same parts, so the same model and far levels.
  const animatedKey = animatedNodesKey(members);
  const animated = useMemo(() => new Set<string>(JSON.parse(animatedKey) as string[]), [animatedKey]);
  const model = useMemo(() => buildKindModel(template, animated), [template, animated]);
  const farModel = useMemo(() => (farTemplate ? buildKindModel(farTemplate, animated) : undefined), [farTemplate, animated]);
  const background = useBackgroundFarLevels(simplify ? model : undefined);
  const ready = !simplify || background !== undefined;
  const kind = useMemo(() => {
    if (!ready) return undefined;
    const placements: KindPlacement[] = members.map(({ machine, machineIndex, cell }) => ({ machineIndex, position: machine.position, rotationDegrees: machine.rotation, cell }));
    let drawn = background?.levels ? withFarLevels(model, background.levels) : model;
    if (farModel) drawn = withFileFarLevel(drawn, farModel);
    return new InstancedKind(drawn, placements, name);
  }, [ready, background, model, farModel, members, name]);

  useFrame(({ camera }) => {
    if (!kind || kind.levelGroups.length === 0 || levelFailures.has(kind)) return;
    try {
      kind.updateLevels(camera.position);
    } catch (error) {
      // Reported once, not every frame: the kind stays drawn at the levels it has.
      levelFailures.add(kind);
      reportProblem(`${name}: cannot change the level of detail of its machines — ${error instanceof Error ? error.message : String(error)}`);
    }
    // Before the plant updater (priority 0), which decides from what changed whether the shadow map is drawn again.
  }, -1);

  useEffect(() => {
    if (!kind) return;
    const handles = kind.instances.map((instance, index) => prepareHandle(members[index]!, instance, kind.model, template));
    const unregister = registry.registerAll(handles);
    return () => {
      unregister();
      kind.dispose();
    };
  }, [kind, members, registry, template]);

  if (!kind) return null;
  const onPointerOver = (event: ThreeEvent<PointerEvent>) => {
    const machineIndex = machineAt(event.object, event.instanceId);
    if (machineIndex === undefined) return;
    event.stopPropagation();
    useViewStore.setState({ hoveredMachine: machineIndex });
    document.body.style.cursor = 'pointer';
  };
  const onPointerOut = () => {
    // The slot left may hold another machine by now (a machine changes layer with its health): clear whatever this kind showed.
    const hovered = useViewStore.getState().hoveredMachine;
    if (hovered !== null && kind.instances.some((instance) => instance.machineIndex === hovered)) useViewStore.setState({ hoveredMachine: null });
    document.body.style.cursor = '';
  };
  const onClick = (event: ThreeEvent<MouseEvent>) => {
    const machineIndex = machineAt(event.object, event.instanceId);
    if (machineIndex === undefined) return;
    event.stopPropagation();
    selectMachine(machineIndex);
  };

  return (
    <group onPointerOver={onPointerOver} onPointerOut={onPointerOut} onClick={onClick}>
      <primitive object={kind.root} />
    </group>
  );
}

/** The nodes the kind's machines animate, sorted, as one string: equal for equal sets, whatever the member objects. */
function animatedNodesKey(members: readonly KindMember[]): string {
  return JSON.stringify([...new Set(members.flatMap((member) => member.machine.animations.map((binding) => binding.node)))].sort());
}

/** Kinds whose level update failed once: not tried again, so the problem is listed once. */
const levelFailures = new WeakSet<InstancedKind>();

/** A machine's handle: its instance, bounds, and the part poses its animations drive. */
function prepareHandle(member: KindMember, instance: MachineInstance, model: KindModel, template: Object3D): MachineHandle {
  const { machine, machineIndex, signalIndices } = member;
  const properties: PropertyTarget[] = [];
  const spins: SpinTarget[] = [];
  for (const binding of machine.animations) {
    const part = model.parts.findIndex((candidate) => candidate.node === binding.node);
    const signalIndex = signalIndices.get(binding.signal);
    if (part <= 0) {
      if (!template.getObjectByName(binding.node)) reportProblem(`${machine.id}: the model has no node "${binding.node}" to animate`);
      continue;
    }
    if (signalIndex === undefined) continue;
    const pose = instance.poses[part]!;
    if ('spin' in binding) spins.push({ object: pose, binding, signalIndex, baseAngle: pose.rotation[binding.spin], angle: 0 });
    else properties.push({ object: pose, binding, signalIndex });
  }
  return { machineIndex, bounds: instance.bounds, instance, properties, spins, appliedHealth: -1 };
}
