import { MeshoptSimplifier } from 'meshoptimizer';
import { PerspectiveCamera, Vector3 } from 'three';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { createFrameBuffer } from '../telemetry/frame-buffer.ts';
import { AnimationCulling } from './animation-culling.ts';
import { appearanceOf } from './health-palette.ts';
import { MachineRegistry, type MachineHandle } from './machine-registry.ts';
import { MachineSchedule } from './machine-schedule.ts';
import { handlesOf, kindAt } from './testing/animated-kinds.ts';
import { updateMachines } from './update-machines.ts';

beforeAll(() => MeshoptSimplifier.ready);

/** A camera at `position` looking down the x axis towards the machines, its matrices current as after a render. */
function cameraAt(x: number): PerspectiveCamera {
  const camera = new PerspectiveCamera(60, 1.6, 0.1, 10_000);
  camera.position.set(x, 5, 0);
  camera.lookAt(x > 0 ? 0 : 1, 5, 0);
  camera.updateMatrixWorld();
  return camera;
}

/** The health tint written into the machine's slot, as the shader reads it. */
function tintOf(handle: MachineHandle): number[] {
  const { layer, slot } = handle.instance;
  return Array.from(layer.tint.array.slice(slot * 4, slot * 4 + 4));
}

/** A plant of four far-capable machines (0–2 together, 3 a kilometre away), all spinning by signal 0, and a rig to run frames. */
function rig() {
  const kind = kindAt([0, 5, 10, 1_000], true);
  const registry = new MachineRegistry();
  const schedule = new MachineSchedule(registry);
  registry.onChange(() => schedule.invalidate());
  const handles = handlesOf(kind);
  registry.registerAll(handles);
  const buffer = createFrameBuffer(1, 4);
  const state = buffer.getState();
  state.values[0] = 10;
  state.signalHealth[0] = Health.ok;
  state.machineHealth.fill(Health.ok);
  const culling = new AnimationCulling();
  const frame = (camera: PerspectiveCamera) => {
    culling.beginFrame(camera);
    updateMachines(buffer.getState(), registry, schedule, culling, 1 / 60);
  };
  return { kind, registry, handles, state, culling, frame };
}

describe('updateMachines', () => {
  it('draws a machine whose health changed, and only then', () => {
    const { handles, state, frame } = rig();
    const camera = cameraAt(-20);
    frame(camera);
    expect(handles.map((handle) => handle.appliedHealth)).toEqual([Health.ok, Health.ok, Health.ok, Health.ok]);
    state.machineHealth[1] = Health.alarm;
    frame(camera);
    expect(handles[1]!.appliedHealth).toBe(Health.alarm);
    expect(tintOf(handles[1]!)[3]).toBeCloseTo(appearanceOf(Health.alarm).tintAmount);
    // Drawn once: a tint written over in between is not written again while the health stays.
    handles[1]!.instance.layer.tint.array[handles[1]!.instance.slot * 4 + 3] = 0.123;
    frame(camera);
    expect(tintOf(handles[1]!)[3]).toBeCloseTo(0.123);
  });

  it('draws the health of a kind built again (an edit) although the health did not change', () => {
    const { registry, handles, state, frame } = rig();
    const camera = cameraAt(-20);
    state.machineHealth[2] = Health.alarm;
    frame(camera);
    // The kind is built again: new instances, new handles, the same machines and the same health.
    const rebuilt = handlesOf(kindAt([0, 5, 10, 1_000], true));
    for (const handle of handles) registry.handles[handle.machineIndex] = undefined;
    registry.registerAll(rebuilt);
    frame(camera);
    expect(rebuilt[2]!.appliedHealth).toBe(Health.alarm);
    expect(tintOf(rebuilt[2]!)[3]).toBeCloseTo(appearanceOf(Health.alarm).tintAmount);
  });

  it('moves the parts of machines near the camera and skips a group at the farthest level without visiting its machines', () => {
    const { kind, handles, culling, frame } = rig();
    // From beside machine 3, machines 0–2 are a kilometre away: the farthest level.
    const camera = cameraAt(1_020);
    kind.updateLevels(camera.position);
    expect(handles.map((handle) => handle.instance.level)).toEqual([2, 2, 2, 0]);
    const visited = vi.spyOn(culling, 'animationStride');
    for (let count = 0; count < 5; count++) frame(camera);
    expect(handles.map((handle) => handle.spins[0]!.angle !== 0)).toEqual([false, false, false, true]);
    expect(visited.mock.calls.map(([instance]) => instance.machineIndex)).toEqual([3, 3, 3, 3, 3]);
  });
});
