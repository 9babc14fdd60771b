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

/** A draw function as wrapped: its own parameters. */
type Draw = (this: unknown, ...parameters: never[]) => unknown;
/** A draw function as called through: any arguments. */
type Call = (this: unknown, ...parameters: unknown[]) => unknown;

/**
 * Wraps the context's draw functions (and the multi-draw extension's, as three's `BatchedMesh` uses
 * them), so a test counts what reached WebGL rather than what the renderer believes it issued. Each
 * wrapper names its parameters, so a draw call allocates nothing (the probe runs in every frame).
 */
export function countDrawCalls(gl: AnyContext): DrawCallCounter {
  const counts: DrawCallCounts = { drawCalls: 0, instances: 0, triangles: 0 };
  const wrapped: Wrapped[] = [];
  const trianglesMode = gl.TRIANGLES;
  const record = (instances: number, vertices: number, mode: number) => {
    counts.drawCalls++;
    counts.instances += instances;
    if (mode === trianglesMode) counts.triangles += Math.floor(vertices / 3);
  };
  const wrap = (target: object, name: string, wrapper: (original: Call) => Draw) => {
    const original = (target as Record<string, unknown>)[name];
    if (typeof original !== 'function') return;
    wrapped.push({ target, name, original });
    (target as Record<string, unknown>)[name] = wrapper(original as Call);
  };
  wrap(gl, 'drawArrays', (original) =>
    function (this: unknown, mode: number, first: number, count: number) {
      record(1, count, mode);
      return original.call(this, mode, first, count);
    },
  );
  wrap(gl, 'drawElements', (original) =>
    function (this: unknown, mode: number, count: number, type: number, offset: number) {
      record(1, count, mode);
      return original.call(this, mode, count, type, offset);
    },
  );
  wrap(gl, 'drawArraysInstanced', (original) =>
    function (this: unknown, mode: number, first: number, count: number, instances: number) {
      record(instances, count * instances, mode);
      return original.call(this, mode, first, count, instances);
    },
  );
  wrap(gl, 'drawElementsInstanced', (original) =>
    function (this: unknown, mode: number, count: number, type: number, offset: number, instances: number) {
      record(instances, count * instances, mode);
      return original.call(this, mode, count, type, offset, instances);
    },
  );
  const multiDraw = gl.getExtension('WEBGL_multi_draw') as Record<string, unknown> | null;
  if (multiDraw) {
    // Multi-draws are rare (three's BatchedMesh) and take lists: these wrappers pass their arguments on as they came.
    const sum = (list: ArrayLike<number>, offset: number, length: number) => {
      let total = 0;
      for (let index = offset; index < offset + length && index < list.length; index++) total += list[index]!;
      return total;
    };
    /** Vertices of an instanced multi-draw: each draw's count times its instances. */
    const sumProducts = (list: ArrayLike<number>, offset: number, factors: ArrayLike<number>, factorsOffset: number, length: number) => {
      let total = 0;
      for (let index = 0; index < length && offset + index < list.length && factorsOffset + index < factors.length; index++) total += list[offset + index]! * factors[factorsOffset + index]!;
      return total;
    };
    type List = ArrayLike<number>;
    wrap(multiDraw, 'multiDrawArraysWEBGL', (original) =>
      function (this: unknown, mode: number, firsts: List, firstsOffset: number, countsList: List, countsOffset: number, drawCount: number) {
        record(drawCount, sum(countsList, countsOffset, drawCount), mode);
        return original.call(this, mode, firsts, firstsOffset, countsList, countsOffset, drawCount);
      },
    );
    wrap(multiDraw, 'multiDrawElementsWEBGL', (original) =>
      function (this: unknown, mode: number, countsList: List, countsOffset: number, type: number, offsets: List, offsetsOffset: number, drawCount: number) {
        record(drawCount, sum(countsList, countsOffset, drawCount), mode);
        return original.call(this, mode, countsList, countsOffset, type, offsets, offsetsOffset, drawCount);
      },
    );
    wrap(multiDraw, 'multiDrawArraysInstancedWEBGL', (original) =>
      function (this: unknown, mode: number, firsts: List, firstsOffset: number, countsList: List, countsOffset: number, instancesList: List, instancesOffset: number, drawCount: number) {
        record(sum(instancesList, instancesOffset, drawCount), sumProducts(countsList, countsOffset, instancesList, instancesOffset, drawCount), mode);
        return original.call(this, mode, firsts, firstsOffset, countsList, countsOffset, instancesList, instancesOffset, drawCount);
      },
    );
    wrap(multiDraw, 'multiDrawElementsInstancedWEBGL', (original) =>
      function (this: unknown, mode: number, countsList: List, countsOffset: number, type: number, offsets: List, offsetsOffset: number, instancesList: List, instancesOffset: number, drawCount: number) {
        record(sum(instancesList, instancesOffset, drawCount), sumProducts(countsList, countsOffset, instancesList, instancesOffset, drawCount), mode);
        return original.call(this, mode, countsList, countsOffset, type, offsets, offsetsOffset, instancesList, instancesOffset, drawCount);
      },
    );
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
