/** One kind of demo machine: its GLB file, the node that is the machine, and the child nodes that move. */
export interface ModelKind {
  kind: string;
  file: string;
  rootNode: string;
  movingParts: readonly string[];
}

/** The demo steel mill's machine kinds; the plant file refers to these files and node names. */
export const modelKinds: readonly ModelKind[] = [
  { kind: 'furnace', file: 'furnace.glb', rootNode: 'furnace', movingParts: ['roof', 'electrodes'] },
  { kind: 'ladle', file: 'ladle.glb', rootNode: 'ladle', movingParts: ['car', 'ladle-body'] },
  { kind: 'caster', file: 'caster.glb', rootNode: 'caster', movingParts: ['strand-rolls'] },
  { kind: 'roll-stand', file: 'roll-stand.glb', rootNode: 'roll-stand', movingParts: ['work-roll-top', 'work-roll-bottom'] },
  { kind: 'cooling-bed', file: 'cooling-bed.glb', rootNode: 'cooling-bed', movingParts: ['walking-beam'] },
  { kind: 'conveyor', file: 'conveyor.glb', rootNode: 'conveyor', movingParts: ['drive-drum'] },
  { kind: 'robot', file: 'robot.glb', rootNode: 'robot', movingParts: ['turret', 'upper-arm', 'forearm'] },
  { kind: 'pump', file: 'pump.glb', rootNode: 'pump', movingParts: ['coupling'] },
  { kind: 'tank', file: 'tank.glb', rootNode: 'tank', movingParts: ['level-indicator'] },
];
