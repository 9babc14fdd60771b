/** What the GPU was asked to draw in one frame, counted at the WebGL context itself. */
export interface DrawCallCounts {
  /** WebGL draw commands: each drawElements/drawArrays (instanced or not) and each multi-draw counts once. */
  drawCalls: number;
  /** Objects drawn: instances of instanced draws, the draws packed into a multi-draw, 1 for a plain draw. */
  instances: number;
  /** Triangles drawn (TRIANGLES mode only), instances included. */
  triangles: number;
}

/** A counter wrapped around one WebGL context; `take` returns what was drawn since the last take. */
export interface DrawCallCounter {
  take(target: DrawCallCounts): DrawCallCounts;
  /** Puts the context's own functions back. */
  dispose(): void;
}

type AnyContext = WebGLRenderingContext | WebGL2RenderingContext;
type Wrapped = { target: object; name: string; original: unknown };

/**
 * Wraps the context's draw functions (and the multi-draw extension's, as three's `BatchedMesh` uses
 * them), so a test counts what reached WebGL rather than what the renderer believes it issued.
 */
export function countDrawCalls(gl: AnyContext): DrawCallCounter {
  const counts: DrawCallCounts = { drawCalls: 0, instances: 0, triangles: 0 };
  const wrapped: Wrapped[] = [];
  const trianglesMode = gl.TRIANGLES;
  const wrap = (target: object, name: string, count: (args: unknown[]) => [instances: number, vertices: number, mode: number]) => {
    const original = (target as Record<string, unknown>)[name];
    if (typeof original !== 'function') return;
    wrapped.push({ target, name, original });
    (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      const [instances, vertices, mode] = count(args);
      counts.drawCalls++;
      counts.instances += instances;
      if (mode === trianglesMode) counts.triangles += Math.floor(vertices / 3);
      return (original as (...parameters: unknown[]) => unknown).apply(this, args);
    };
  };
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  wrap(gl, 'drawArrays', (args) => [1, number(args[2]), number(args[0])]);
  wrap(gl, 'drawElements', (args) => [1, number(args[1]), number(args[0])]);
  wrap(gl, 'drawArraysInstanced', (args) => [number(args[3]), number(args[2]) * number(args[3]), number(args[0])]);
  wrap(gl, 'drawElementsInstanced', (args) => [number(args[4]), number(args[1]) * number(args[4]), number(args[0])]);
  const multiDraw = gl.getExtension('WEBGL_multi_draw') as Record<string, unknown> | null;
  if (multiDraw) {
    // Arguments: (mode, firsts|counts, offset, counts|type, …, drawCount last); sum the packed counts.
    const sum = (list: unknown, offset: unknown, length: unknown) => {
      const values = list as ArrayLike<number>;
      let total = 0;
      for (let index = number(offset); index < number(offset) + number(length) && index < values.length; index++) total += values[index]!;
      return total;
    };
    wrap(multiDraw, 'multiDrawArraysWEBGL', (args) => [number(args[5]), sum(args[3], args[4], args[5]), number(args[0])]);
    wrap(multiDraw, 'multiDrawElementsWEBGL', (args) => [number(args[6]), sum(args[1], args[2], args[6]), number(args[0])]);
    wrap(multiDraw, 'multiDrawArraysInstancedWEBGL', (args) => [sum(args[5], args[6], args[7]), sum(args[3], args[4], args[7]), number(args[0])]);
    wrap(multiDraw, 'multiDrawElementsInstancedWEBGL', (args) => [sum(args[6], args[7], args[8]), sum(args[1], args[2], args[8]), number(args[0])]);
  }
  return {
    take(target) {
      target.drawCalls = counts.drawCalls;
      target.instances = counts.instances;
      target.triangles = counts.triangles;
      counts.drawCalls = 0;
      counts.instances = 0;
      counts.triangles = 0;
      return target;
    },
    dispose() {
      for (const { target, name, original } of wrapped) (target as Record<string, unknown>)[name] = original;
    },
  };
}
