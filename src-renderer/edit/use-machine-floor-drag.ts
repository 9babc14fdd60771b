import { useThree } from '@react-three/fiber';
import { useEffect, useRef, type RefObject } from 'react';
import { Plane, Raycaster, Vector2, Vector3, type Group } from 'three';
import type { MachineRegistry } from '../scene/machine-registry.ts';
import { reportProblem } from '../state/view-store.ts';
import { machineAtScreen, noteGizmoDrag } from './edit-scene.ts';
import { floorDragPlace } from './floor-drag.ts';

/** What the floor drag needs of the gizmo: whether one of its handles is under the pointer (three's TransformControls' `axis`). */
interface GizmoLike {
  axis?: string | null;
}

/** The orbit controls as drei's `makeDefault` leaves them in the store. */
interface ControlsLike {
  enabled: boolean;
}

interface FloorDragOptions {
  /** The selected machine's outline, moved while dragging (the gizmo follows it). */
  group: RefObject<Group | null>;
  /** The gizmo: a press on one of its handles is the gizmo's, not this drag's. */
  gizmo: RefObject<GizmoLike | null>;
  registry: MachineRegistry;
  machineIndex: number;
  /** Only while the gizmo moves (not while it rotates). */
  enabled: boolean;
  /** Called once on release after the outline moved: sends the one move action. */
  onRelease: () => void;
}

/**
 * Drags the selected machine by its body on the floor: press on the machine, move, release. The point
 * grabbed stays under the pointer, on the level where it was grabbed, and the place snaps to the grid
 * unless Shift is held. The outline (and the gizmo with it) follows; one move action is sent on release.
 * Escape (or the system taking the pointer away) cancels: the outline goes back and nothing is sent.
 * The orbit controls do not turn the view meanwhile, and a press on a gizmo handle is left to the gizmo.
 */
export function useMachineFloorDrag(options: FloorDragOptions): void {
  const camera = useThree((state) => state.camera);
  const canvas = useThree((state) => state.gl.domElement);
  const controls = useThree((state) => state.controls) as unknown as ControlsLike | null;
  // The latest options, read by the listeners without adding them again on every render.
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const raycaster = new Raycaster();
    const pointer = new Vector2();
    const hit = new Vector3();
    const level = new Plane(new Vector3(0, 1, 0), 0);
    let drag: { pointerId: number; grabOffset: { x: number; z: number }; start: { x: number; z: number }; moved: boolean } | undefined;

    const aimAt = (event: PointerEvent) => {
      const rectangle = canvas.getBoundingClientRect();
      pointer.set(((event.clientX - rectangle.left) / rectangle.width) * 2 - 1, -((event.clientY - rectangle.top) / rectangle.height) * 2 + 1);
      raycaster.setFromCamera(pointer, camera);
    };
    const end = (pointerId: number) => {
      drag = undefined;
      if (controls) controls.enabled = true;
      if (canvas.hasPointerCapture(pointerId)) canvas.releasePointerCapture(pointerId);
    };
    const finish = (event: PointerEvent) => {
      if (!drag || event.pointerId !== drag.pointerId) return;
      const moved = drag.moved;
      end(event.pointerId);
      if (moved) latest.current.onRelease();
      else noteGizmoDrag(false);
    };
    const cancel = () => {
      if (!drag) return;
      const { start, pointerId } = drag;
      latest.current.group.current?.position.setX(start.x).setZ(start.z);
      end(pointerId);
      noteGizmoDrag(false);
    };
    const onPointerDown = (event: PointerEvent) => {
      try {
        const { enabled, gizmo, group, registry, machineIndex } = latest.current;
        if (!enabled || drag || event.button !== 0 || gizmo.current?.axis || !group.current) return;
        if (machineAtScreen(event.clientX, event.clientY) !== machineIndex) return;
        const bounds = registry.handles[machineIndex]?.bounds;
        aimAt(event);
        if (!bounds || !raycaster.ray.intersectBox(bounds, hit)) return;
        // Dragged on the level where it was grabbed: the point grabbed stays under the pointer.
        level.constant = -hit.y;
        const start = { x: group.current.position.x, z: group.current.position.z };
        drag = { pointerId: event.pointerId, grabOffset: { x: hit.x - start.x, z: hit.z - start.z }, start, moved: false };
        // The press is this drag's: the orbit controls and the scene's own handlers must not see it.
        event.stopImmediatePropagation();
        if (controls) controls.enabled = false;
        canvas.setPointerCapture(event.pointerId);
        noteGizmoDrag(true);
      } catch (error) {
        drag = undefined;
        reportProblem(`Dragging the machine failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const onPointerMove = (event: PointerEvent) => {
      try {
        const object = latest.current.group.current;
        if (!drag || event.pointerId !== drag.pointerId || !object) return;
        aimAt(event);
        if (!raycaster.ray.intersectPlane(level, hit)) return;
        const place = floorDragPlace(hit, drag.grabOffset, !event.shiftKey);
        if (place.x === object.position.x && place.z === object.position.z) return;
        object.position.set(place.x, object.position.y, place.z);
        drag.moved = true;
      } catch (error) {
        reportProblem(`Dragging the machine failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const onPointerUp = (event: PointerEvent) => {
      try {
        finish(event);
      } catch (error) {
        reportProblem(`Placing the dragged machine failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const onPointerCancel = (event: PointerEvent) => {
      try {
        if (drag && event.pointerId === drag.pointerId) cancel();
      } catch (error) {
        reportProblem(`Cancelling the drag failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      try {
        if (!drag || event.key !== 'Escape') return;
        // Escape is this drag's: it must not also close the inspector.
        event.stopImmediatePropagation();
        event.preventDefault();
        cancel();
      } catch (error) {
        reportProblem(`Cancelling the drag failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    // Capture: before the orbit controls' and the gizmo's own listeners on the canvas.
    canvas.addEventListener('pointerdown', onPointerDown, true);
    canvas.addEventListener('pointermove', onPointerMove, true);
    canvas.addEventListener('pointerup', onPointerUp, true);
    canvas.addEventListener('pointercancel', onPointerCancel, true);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      canvas.removeEventListener('pointerdown', onPointerDown, true);
      canvas.removeEventListener('pointermove', onPointerMove, true);
      canvas.removeEventListener('pointerup', onPointerUp, true);
      canvas.removeEventListener('pointercancel', onPointerCancel, true);
      window.removeEventListener('keydown', onKeyDown, true);
      // Gone mid-drag (an undo or delete from the keyboard takes the gizmo away): cancelled, or the scene
      // would take every later click for the gizmo's and never select or deselect again.
      try {
        cancel();
      } catch (error) {
        reportProblem(`Cancelling the drag failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
  }, [camera, canvas, controls]);
}
