import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Matrix4, Vector3, type BufferGeometry, type Camera, type Mesh, type Object3D, type ShaderMaterial, type Texture } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { areaLabelsName, areaPlatesName } from './AreaFloors.tsx';
import { countDrawCalls, type DrawCallCounter, type DrawCallCounts } from './draw-call-counter.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { predictedMarkersOnScreen, type PredictedMarkerOnScreen } from './predicted-marker-mesh.ts';

/** What the last rendered frame cost, as the WebGL context saw it and as three's renderer counted it. */
export interface FrameRenderStats extends DrawCallCounts {
  /** three's own `renderer.info.render.calls` for the same frame, shadow passes included. */
  rendererCalls: number;
  /** Frames rendered since the probe started. */
  frames: number;
}

/** A point on screen, in CSS pixels from the canvas's top-left. */
export interface ScreenPoint {
  x: number;
  y: number;
}

/** An area's label as the last frame drew it, beside its area's plate, all on screen. */
export interface AreaLabelOnScreen {
  /** The area, as the plant file names it. */
  area: string;
  /** The text drawn into the label's texture cell. */
  text: string;
  /** How many pixels of the label's texture cell carry ink: 0 for a label that shows nothing. */
  inkPixels: number;
  /** Where the label is anchored in the world, in metres (y up): its centre. */
  anchor: [number, number, number];
  /** The label's quad on screen, in CSS pixels from the canvas's top-left. */
  rect: { left: number; top: number; right: number; bottom: number };
  centre: ScreenPoint;
  /** How far the label has faded in, 0 (gone, too small to read) to 1, as the label's shader computes it. */
  fade: number;
  /** Whether the label shows: its mesh visible, in front of the camera, on the canvas, faded in at least halfway and with ink. */
  drawn: boolean;
  /**
   * The area's plate: its centre in the world and on screen, that centre raised to the label's
   * height (where a label over it belongs) on screen, and the plate's size on screen.
   */
  plate: { worldCentre: [number, number, number]; centre: ScreenPoint; centreAtLabelHeight: ScreenPoint; width: number; height: number };
}

/** Read-only facts about the scene, for automated checks and support: `window.twinlineProbe`. */
export interface SceneProbeApi {
  /** How many machines have their model loaded. */
  loadedMachines(): number;
  /** Where a machine's centre is on screen, in CSS pixels from the canvas's top-left, or null. */
  machineScreenPosition(machineId: string): { x: number; y: number } | null;
  /** Draw calls, instances and triangles of the last rendered frame. */
  renderStats(): FrameRenderStats;
  /** A machine's world-space bounds in metres (y up), or null before its model is in the scene. */
  machineBounds(machineId: string): { min: [number, number, number]; max: [number, number, number] } | null;
  /** Where a world-space point is on screen, in CSS pixels from the canvas's top-left. */
  screenPoint(point: [number, number, number]): { x: number; y: number };
  /** Every area's label and plate as drawn, read from the meshes' own geometry, texture and uniforms. */
  areaLabels(): AreaLabelOnScreen[];
  /** Where the camera is in the world, in metres (y up). */
  cameraPosition(): [number, number, number];
  /** The "predicted" rings the markers' one instanced mesh draws: over which machine, where, and on screen. */
  predictedMarkers(): PredictedMarkerOnScreen[];
}

/** Publishes the scene probe on `window`. */
export function SceneProbe({ registry, machines }: { registry: MachineRegistry; machines: Machine[] }) {
  const camera = useThree((state) => state.camera);
  const size = useThree((state) => state.size);
  const renderer = useThree((state) => state.gl);
  const scene = useThree((state) => state.scene);
  const counter = useRef<DrawCallCounter | null>(null);
  const last = useRef<FrameRenderStats>({ drawCalls: 0, instances: 0, triangles: 0, rendererCalls: 0, frames: 0 });

  useEffect(() => {
    const wrapped = countDrawCalls(renderer.getContext());
    counter.current = wrapped;
    return () => {
      wrapped.dispose();
      counter.current = null;
    };
  }, [renderer]);

  // Frame callbacks run before the render, so what was counted since the last one is the last frame's.
  useFrame(() => {
    const stats = last.current;
    if (!counter.current) return;
    counter.current.take(stats);
    stats.rendererCalls = renderer.info.render.calls;
    stats.frames++;
  });

  useEffect(() => {
    const probe: SceneProbeApi = {
      loadedMachines: () => registry.handles.filter(Boolean).length,
      machineScreenPosition: (machineId) => {
        const index = machines.findIndex((machine) => machine.id === machineId);
        const handle = registry.handles[index];
        if (!handle) return null;
        const point = handle.bounds.getCenter(new Vector3()).project(camera);
        return { x: ((point.x + 1) / 2) * size.width, y: ((1 - point.y) / 2) * size.height };
      },
      renderStats: () => ({ ...last.current }),
      machineBounds: (machineId) => {
        const handle = registry.handles[machines.findIndex((machine) => machine.id === machineId)];
        return handle ? { min: handle.bounds.min.toArray(), max: handle.bounds.max.toArray() } : null;
      },
      screenPoint: ([x, y, z]) => {
        const point = new Vector3(x, y, z).project(camera);
        return { x: ((point.x + 1) / 2) * size.width, y: ((1 - point.y) / 2) * size.height };
      },
      areaLabels: () => areaLabelsOnScreen(scene, camera, size),
      cameraPosition: () => camera.position.toArray(),
      predictedMarkers: () => predictedMarkersOnScreen(scene, camera, size, machines),
    };
    (window as unknown as { twinlineProbe?: SceneProbeApi }).twinlineProbe = probe;
  }, [registry, machines, camera, size, scene]);
  return null;
}

/** Ink counts per texture cell, by texture and cell, so repeated probes do not read the atlas again. */
const inkCache = new WeakMap<Texture, Map<string, number>>();

/**
 * Where each area's label and plate are on screen. The label's corners are found as its vertex
 * shader places them (view-space offsets from its anchor) and its fade as the shader computes it,
 * so what this reports is what the frame drew, not what the plant file intended.
 */
function areaLabelsOnScreen(scene: Object3D, camera: Camera, size: { width: number; height: number }): AreaLabelOnScreen[] {
  const labels = scene.getObjectByName(areaLabelsName) as Mesh<BufferGeometry, ShaderMaterial> | undefined;
  const plates = scene.getObjectByName(areaPlatesName) as Mesh | undefined;
  if (!labels || !plates) return [];
  const texts = (labels.userData.texts ?? []) as string[];
  const areas = (plates.userData.areas ?? []) as string[];
  const anchors = labels.geometry.getAttribute('position');
  const corners = labels.geometry.getAttribute('corner');
  const heights = labels.geometry.getAttribute('labelHeight');
  const uvs = labels.geometry.getAttribute('uv');
  const platePositions = plates.geometry.getAttribute('position');
  const uniforms = labels.material.uniforms;
  const texture = uniforms.map!.value as Texture;
  const viewportHeight = (uniforms.viewport!.value as { y: number }).y;
  const opacity = uniforms.opacity!.value as number;
  const modelView = new Matrix4().multiplyMatrices(camera.matrixWorldInverse, labels.matrixWorld);
  const toScreen = (ndc: Vector3): ScreenPoint => ({ x: ((ndc.x + 1) / 2) * size.width, y: ((1 - ndc.y) / 2) * size.height });
  let visible = true;
  labels.traverseAncestors((ancestor) => (visible &&= ancestor.visible));
  visible &&= labels.visible;
  const result: AreaLabelOnScreen[] = [];
  for (let index = 0; index < areas.length && index * 4 < anchors.count; index++) {
    const first = index * 4;
    const anchorWorld = new Vector3().fromBufferAttribute(anchors, first).applyMatrix4(labels.matrixWorld);
    const anchorView = new Vector3().fromBufferAttribute(anchors, first).applyMatrix4(modelView);
    const screenCorners = [0, 1, 2, 3].map((corner) =>
      toScreen(
        anchorView
          .clone()
          .add(new Vector3(corners.getX(first + corner), corners.getY(first + corner), 0))
          .applyMatrix4(camera.projectionMatrix),
      ),
    );
    const rect = {
      left: Math.min(...screenCorners.map((point) => point.x)),
      top: Math.min(...screenCorners.map((point) => point.y)),
      right: Math.max(...screenCorners.map((point) => point.x)),
      bottom: Math.max(...screenCorners.map((point) => point.y)),
    };
    const pixels = ((heights.getX(first) * camera.projectionMatrix.elements[5]!) / Math.max(0.001, -anchorView.z)) * viewportHeight * 0.5;
    const fade = smoothstep(6, 10, pixels);
    const inkPixels = inkInCell(texture, [0, 1, 2, 3].map((corner) => [uvs.getX(first + corner), uvs.getY(first + corner)] as const));
    const onCanvas = rect.right > 0 && rect.bottom > 0 && rect.left < size.width && rect.top < size.height;
    const plateCorners = [0, 1, 2, 3].map((corner) => new Vector3().fromBufferAttribute(platePositions, first + corner).applyMatrix4(plates.matrixWorld));
    const plateCentre = plateCorners.reduce((sum, corner) => sum.add(corner), new Vector3()).divideScalar(4);
    const plateOnScreen = plateCorners.map((corner) => toScreen(corner.clone().project(camera)));
    const plateXs = plateOnScreen.map((point) => point.x);
    const plateYs = plateOnScreen.map((point) => point.y);
    result.push({
      area: areas[index]!,
      text: texts[index] ?? '',
      inkPixels,
      anchor: anchorWorld.toArray(),
      rect,
      centre: { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 },
      fade,
      drawn: visible && opacity > 0 && anchorView.z < 0 && onCanvas && fade >= 0.5 && inkPixels > 0,
      plate: {
        worldCentre: plateCentre.toArray(),
        centre: toScreen(plateCentre.clone().project(camera)),
        centreAtLabelHeight: toScreen(plateCentre.clone().setY(anchorWorld.y).project(camera)),
        width: Math.max(...plateXs) - Math.min(...plateXs),
        height: Math.max(...plateYs) - Math.min(...plateYs),
      },
    });
  }
  return result;
}

/** How many pixels of the texture's image within these texture coordinates are more than half opaque. */
function inkInCell(texture: Texture, uvCorners: ReadonlyArray<readonly [number, number]>): number {
  const image = texture.image as HTMLCanvasElement | undefined;
  const context = image?.getContext?.('2d');
  if (!image || !context) return 0;
  // Textures are flipped on upload: v = 1 is the canvas's top row.
  const left = Math.floor(Math.min(...uvCorners.map(([u]) => u)) * image.width);
  const right = Math.ceil(Math.max(...uvCorners.map(([u]) => u)) * image.width);
  const top = Math.floor((1 - Math.max(...uvCorners.map(([, v]) => v))) * image.height);
  const bottom = Math.ceil((1 - Math.min(...uvCorners.map(([, v]) => v))) * image.height);
  const key = `${left},${top},${right},${bottom}`;
  let cells = inkCache.get(texture);
  if (!cells) inkCache.set(texture, (cells = new Map()));
  const cached = cells.get(key);
  if (cached !== undefined) return cached;
  let ink = 0;
  if (right > left && bottom > top) {
    const { data } = context.getImageData(left, top, right - left, bottom - top);
    for (let offset = 3; offset < data.length; offset += 4) if (data[offset]! > 127) ink++;
  }
  cells.set(key, ink);
  return ink;
}

/** GLSL's smoothstep: 0 below `edge0`, 1 above `edge1`, a smooth ramp between. */
function smoothstep(edge0: number, edge1: number, value: number): number {
  const t = Math.min(1, Math.max(0, (value - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
