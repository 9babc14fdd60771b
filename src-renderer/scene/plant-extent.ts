/**
 * How big the plant is, and everything in the scene that follows from it: the floor, grid, fog,
 * shadow frustum, camera limits and the area plates with their labels. A 10 m robot cell and a
 * 2 km site are drawn alike: every length here is a multiple of the plant's radius, except the
 * closest look at a machine, which follows the machines' own size.
 */

/** What the extent needs to know of a machine: where it stands and how big the plant file says it is. */
export interface ExtentMachine {
  area: string;
  position: readonly [number, number, number];
  /** Degrees about the vertical axis. */
  rotation?: number | undefined;
  primitive?: { size: readonly [number, number, number] } | undefined;
  model?: { file: string; size?: readonly [number, number, number] | undefined } | undefined;
}

/** The plant's box in metres (y up), and the size of a typical machine in it. */
export interface PlantExtent {
  minX: number;
  maxX: number;
  minZ: number;
  maxZ: number;
  /** Height of the tallest machine above the floor. */
  height: number;
  /** Median footprint of a machine (the larger of width and depth), in metres. */
  machineSize: number;
}

/** An axis-aligned box as three's Box3 holds it. */
export interface BoxLike {
  min: { x: number; y: number; z: number };
  max: { x: number; y: number; z: number };
}

/** The scene's lengths for a plant of a given extent. */
export interface SceneStage {
  centre: [number, number, number];
  /** Radius of the plant's bounding sphere, in metres (at least `minimumRadius`). */
  radius: number;
  floor: { size: number; y: number };
  grid: { size: number; divisions: number; y: number };
  /** Height of the area plates above the floor's zero. */
  plateY: number;
  fog: { near: number; far: number };
  camera: { minDistance: number; maxDistance: number };
  /** The orbit target stays inside this box, so panning cannot lose the plant. */
  panBounds: { minX: number; maxX: number; minZ: number; maxZ: number; maxY: number };
  shadow: { position: [number, number, number]; halfSize: number; near: number; far: number; mapSize: number };
}

/** A machine whose size the plant file does not give is assumed this wide, tall and deep (the demo's models are 2–8 m). */
export const estimatedMachineSize = 4;
/** The smallest plant radius the stage is built for: a single machine still gets a floor around it. */
export const minimumRadius = 4;
/** The grid has this many cells across, whatever the plant's size. */
const gridDivisions = 80;
/** Direction from the plant to the key light (its shadows fall away from the default view). */
const lightDirection = normalise([0.45, 0.79, 0.4]);
/** Shadow map texels should be about this many metres wide; the map grows to reach it, up to the largest size. */
const shadowTexelMetres = 0.08;
const largestShadowMap = 4096;

/**
 * The extent the plant file implies before any model has loaded: each machine's position, with the
 * size of its primitive or the model's `size` hint turned by its rotation, else `estimatedMachineSize`
 * (whose model may face any way once loaded, so its footprint is taken as the circle around it).
 */
export function plantExtent(machines: readonly ExtentMachine[]): PlantExtent {
  if (machines.length === 0) return { minX: -minimumRadius, maxX: minimumRadius, minZ: -minimumRadius, maxZ: minimumRadius, height: estimatedMachineSize, machineSize: estimatedMachineSize };
  let minX = Infinity;
  let maxX = -Infinity;
  let minZ = Infinity;
  let maxZ = -Infinity;
  let height = 0;
  const footprints: number[] = [];
  for (const machine of machines) {
    const stated = machine.primitive?.size ?? machine.model?.size;
    const [width, tall, depth] = stated ?? [estimatedMachineSize, estimatedMachineSize, estimatedMachineSize];
    const [x, y, z] = machine.position;
    const [halfX, halfZ] = stated ? turnedHalfSize(width, depth, machine.rotation ?? 0) : [Math.hypot(width, depth) / 2, Math.hypot(width, depth) / 2];
    minX = Math.min(minX, x - halfX);
    maxX = Math.max(maxX, x + halfX);
    minZ = Math.min(minZ, z - halfZ);
    maxZ = Math.max(maxZ, z + halfZ);
    height = Math.max(height, y + tall);
    footprints.push(Math.max(width, depth));
  }
  return { minX, maxX, minZ, maxZ, height, machineSize: median(footprints) };
}

/**
 * The extent of what was really drawn (the union of the loaded machines' bounds), keeping the
 * plant file's typical machine size unless the loaded boxes give one. Returns `estimate` for an
 * empty or non-finite box, so a scene with nothing loaded yet keeps the plant file's extent.
 */
export function extentOfBounds(bounds: BoxLike, estimate: PlantExtent, machineSizes: readonly number[] = []): PlantExtent {
  const values = [bounds.min.x, bounds.min.y, bounds.min.z, bounds.max.x, bounds.max.y, bounds.max.z];
  if (!values.every(Number.isFinite) || bounds.max.x < bounds.min.x || bounds.max.z < bounds.min.z) return estimate;
  return {
    minX: bounds.min.x,
    maxX: bounds.max.x,
    minZ: bounds.min.z,
    maxZ: bounds.max.z,
    height: Math.max(0, bounds.max.y),
    machineSize: machineSizes.length > 0 ? median(machineSizes) : estimate.machineSize,
  };
}

/** Whether two extents differ by more than `tolerance` of the larger one's radius: small changes are not worth rebuilding the stage for. */
export function extentChanged(a: PlantExtent, b: PlantExtent, tolerance = 0.05): boolean {
  const scale = Math.max(radiusOf(a), radiusOf(b));
  const differences = [a.minX - b.minX, a.maxX - b.maxX, a.minZ - b.minZ, a.maxZ - b.maxZ, a.height - b.height];
  return differences.some((difference) => Math.abs(difference) > tolerance * scale) || Math.abs(a.machineSize - b.machineSize) > tolerance * Math.max(a.machineSize, b.machineSize);
}

/**
 * The scene's lengths for this extent. The demo mill (radius about 60 m) keeps its look: fog from
 * 2.4 to 6.3 radii, a grid of 80 cells over 6.4 radii, camera out to 8 radii. The closest the camera
 * comes is a machine's size (so a 2 km site still lets one look at a pump), and the shadow map is as
 * large as needed for texels of about 8 cm, at most 4096² (or the GPU's `maxTextureSize`).
 */
export function stageFor(extent: PlantExtent, maxTextureSize = largestShadowMap): SceneStage {
  const radius = radiusOf(extent);
  const centre: [number, number, number] = [(extent.minX + extent.maxX) / 2, extent.height / 2, (extent.minZ + extent.maxZ) / 2];
  const cell = niceLength((radius * 6.4) / gridDivisions);
  // Layers just above and below the floor, far enough apart for the depth buffer at the distance the whole plant is seen from.
  const layer = Math.max(0.002, radius * 0.0002);
  const shadowHalfSize = radius * 1.05;
  const shadowDistance = radius * 2 + extent.height;
  const wantedMap = nextPowerOfTwo((shadowHalfSize * 2) / shadowTexelMetres);
  const margin = radius * 0.25;
  return {
    centre,
    radius,
    floor: { size: radius * 24, y: -layer * 3 },
    grid: { size: cell * gridDivisions, divisions: gridDivisions, y: layer },
    plateY: -layer,
    fog: { near: radius * 2.4, far: radius * 6.3 },
    camera: { minDistance: clamp(extent.machineSize * 0.75, 0.5, radius), maxDistance: radius * 8 },
    panBounds: { minX: extent.minX - margin, maxX: extent.maxX + margin, minZ: extent.minZ - margin, maxZ: extent.maxZ + margin, maxY: Math.max(extent.height, 1) },
    shadow: {
      position: [centre[0] + lightDirection[0] * shadowDistance, lightDirection[1] * shadowDistance, centre[2] + lightDirection[2] * shadowDistance],
      halfSize: shadowHalfSize,
      near: Math.max(0.1, shadowDistance - radius * 1.5),
      far: shadowDistance + radius * 1.5,
      mapSize: clamp(wantedMap, 512, Math.min(largestShadowMap, maxTextureSize)),
    },
  };
}

/** Near and far planes for a camera this far from what it looks at: the depth buffer's precision goes where the eye is. */
export function clipPlanesFor(distanceToTarget: number, stage: SceneStage): { near: number; far: number } {
  const near = clamp(distanceToTarget / 200, 0.01, stage.radius);
  // Far enough to see the whole floor from the farthest the camera may go.
  const far = distanceToTarget + stage.floor.size;
  return { near, far };
}

/**
 * Fog for a camera this far from what it looks at: it starts a little before the target and ends
 * 3.4 radii beyond it, so the plant fades into the distance as at the fitted view (2.4 to 6.3 radii
 * there) and never vanishes into the fog however far out the user zooms.
 */
export function fogFor(distanceToTarget: number, stage: SceneStage): { near: number; far: number } {
  return { near: distanceToTarget * 0.83, far: distanceToTarget + stage.radius * 3.4 };
}

/** One ISA-95 area's plate on the floor and where its label goes. */
export interface AreaPlate {
  name: string;
  centre: [number, number];
  size: [number, number];
  /** Height of the label's letters, in metres: as large as the plate allows, within bounds set by the plant. */
  labelHeight: number;
}

/** Margin around an area's outermost machines, in machine sizes. */
const plateMargin = 0.4;

/**
 * Each area's plate: around its machines' footprints with a margin of about half a machine, and a label
 * centred on it whose letters fit the plate (at most a quarter of its depth, the name no wider than
 * nine tenths of it) and stay readable from the plant's fitted view (at least 0.4 % of its radius).
 */
export function areaPlates(machines: readonly ExtentMachine[], extent: PlantExtent): AreaPlate[] {
  const byArea = new Map<string, ExtentMachine[]>();
  for (const machine of machines) {
    const list = byArea.get(machine.area);
    if (list) list.push(machine);
    else byArea.set(machine.area, [machine]);
  }
  const radius = radiusOf(extent);
  const plates: AreaPlate[] = [];
  for (const [name, members] of byArea) {
    const own = plantExtent(members);
    const margin = extent.machineSize * plateMargin;
    const size: [number, number] = [own.maxX - own.minX + margin * 2, own.maxZ - own.minZ + margin * 2];
    // Capital letters of this font are about 0.62 of their height wide, with spacing.
    const fitsWidth = (size[0] * 0.9) / (Math.max(1, name.length) * 0.62);
    const labelHeight = Math.max(Math.min(size[1] * 0.25, fitsWidth, radius * 0.05), radius * 0.004);
    plates.push({ name, centre: [(own.minX + own.maxX) / 2, (own.minZ + own.maxZ) / 2], size, labelHeight });
  }
  return plates;
}

/** The extent grown to hold the area plates too, so a fit frames the plates whole, not only the machines on them. */
export function extentWithPlates(extent: PlantExtent, plates: readonly AreaPlate[]): PlantExtent {
  let { minX, maxX, minZ, maxZ } = extent;
  for (const plate of plates) {
    minX = Math.min(minX, plate.centre[0] - plate.size[0] / 2);
    maxX = Math.max(maxX, plate.centre[0] + plate.size[0] / 2);
    minZ = Math.min(minZ, plate.centre[1] - plate.size[1] / 2);
    maxZ = Math.max(maxZ, plate.centre[1] + plate.size[1] / 2);
  }
  return { ...extent, minX, maxX, minZ, maxZ };
}

/** Radius of the extent's bounding sphere on the floor, with its height, never below `minimumRadius`. */
export function radiusOf(extent: PlantExtent): number {
  return Math.max(minimumRadius, Math.hypot(extent.maxX - extent.minX, extent.maxZ - extent.minZ, extent.height) / 2);
}

/** The 1, 2, 5 × 10ⁿ length nearest above `length`: grid cells read as round numbers of metres. */
export function niceLength(length: number): number {
  if (!(length > 0) || !Number.isFinite(length)) return 1;
  const power = 10 ** Math.floor(Math.log10(length));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= length * 0.999)!;
  return step * power;
}

/** Half the width and depth, along x and z, of a width × depth box turned by `degrees` about the vertical. */
export function turnedHalfSize(width: number, depth: number, degrees: number): [number, number] {
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.abs(Math.cos(radians)), Math.abs(Math.sin(radians))];
  return [(width * cos + depth * sin) / 2, (width * sin + depth * cos) / 2];
}

function nextPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, value)));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function normalise(vector: [number, number, number]): [number, number, number] {
  const length = Math.hypot(...vector);
  return [vector[0] / length, vector[1] / length, vector[2] / length];
}
