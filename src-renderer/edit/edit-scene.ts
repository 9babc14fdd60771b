import { Plane, Ray, Raycaster, Vector2, Vector3, type Camera, type WebGLRenderer } from 'three';
import type { MachineRegistry } from '../scene/machine-registry.ts';

/** The grid machines are placed on: metres between positions, and degrees between turns. */
export const gridStep = 0.5;
/** Degrees between the turns the gizmo snaps to. */
export const turnStep = 15;

/** What edit tools outside the 3D canvas need of it: set by `EditSceneTools` inside the canvas while it is mounted. */
interface SceneAccess {
  camera: Camera;
  renderer: WebGLRenderer;
  canvas: HTMLCanvasElement;
  registry: MachineRegistry;
  /** The point the orbit controls turn about (where the camera looks), when there are such controls. */
  target: Vector3 | undefined;
}

let access: SceneAccess | undefined;
/** When the gizmo was last released (performance.now()): the click that ends a drag must not deselect the machine. */
let gizmoReleasedAt = Number.NEGATIVE_INFINITY;
let gizmoDragging = false;

/** Remembers the canvas's camera, renderer and machines for the edit tools; undefined when the canvas is gone. */
export function setSceneAccess(next: SceneAccess | undefined): void {
  access = next;
}

/** The canvas's camera, renderer and machines for a tool outside it; undefined before the canvas is up. */
export function sceneAccessForTools(): Readonly<SceneAccess> | undefined {
  return access;
}

/** The renderer, for loading a model file to list its nodes; undefined before the canvas is up. */
export function sceneRenderer(): WebGLRenderer | undefined {
  return access?.renderer;
}

/** Notes that the gizmo is being dragged (true) or was just released (false). */
export function noteGizmoDrag(dragging: boolean): void {
  gizmoDragging = dragging;
  if (!dragging) gizmoReleasedAt = performance.now();
}

/** Whether a click now belongs to a gizmo drag (during one, or within a moment of its release) rather than to the scene. */
export function clickBelongsToGizmo(): boolean {
  return gizmoDragging || performance.now() - gizmoReleasedAt < 300;
}

/** The nearest multiple of `step`; 0 stays 0 (never -0, which YAML would write as "-0"). */
export function snapTo(value: number, step: number): number {
  return Math.round(value / step) * step + 0;
}

/** Where the camera looks, on the floor (y = 0) and on the grid: where a new machine is put. The origin without a canvas. */
export function floorPointInView(): [number, number, number] {
  if (!access) return [0, 0, 0];
  const { camera, target } = access;
  const direction = new Vector3();
  camera.getWorldDirection(direction);
  const ray = new Ray(camera.position.clone(), direction);
  const hit = ray.intersectPlane(new Plane(new Vector3(0, 1, 0), 0), new Vector3()) ?? target?.clone().setY(0) ?? new Vector3();
  return [snapTo(hit.x, gridStep), 0, snapTo(hit.z, gridStep)];
}

/**
 * The machine drawn under a point of the window (a drop of a topic on the scene), by its bounds: the
 * nearest whose box the ray through that point meets; undefined when none or outside the canvas.
 */
export function machineAtScreen(clientX: number, clientY: number): number | undefined {
  if (!access) return undefined;
  const rectangle = access.canvas.getBoundingClientRect();
  const x = ((clientX - rectangle.left) / rectangle.width) * 2 - 1;
  const y = -((clientY - rectangle.top) / rectangle.height) * 2 + 1;
  if (Math.abs(x) > 1 || Math.abs(y) > 1) return undefined;
  const raycaster = new Raycaster();
  raycaster.setFromCamera(new Vector2(x, y), access.camera);
  const hit = new Vector3();
  let nearest: { machine: number; distance: number } | undefined;
  for (const handle of access.registry.handles) {
    if (!handle || handle.bounds.isEmpty()) continue;
    if (!raycaster.ray.intersectBox(handle.bounds, hit)) continue;
    const distance = hit.distanceTo(raycaster.ray.origin);
    if (!nearest || distance < nearest.distance) nearest = { machine: handle.machineIndex, distance };
  }
  return nearest?.machine;
}
