import { describe, expect, it } from 'vitest';
import { countDrawCalls } from './draw-call-counter.ts';

const TRIANGLES = 4;
const LINES = 1;

/** A stand-in for a WebGL2 context with the multi-draw extension: it records what reached it. */
function fakeContext() {
  const received: unknown[][] = [];
  const record =
    (name: string) =>
    (...parameters: unknown[]) => {
      received.push([name, ...parameters]);
      return name;
    };
  const multiDraw = {
    multiDrawArraysWEBGL: record('multiDrawArrays'),
    multiDrawElementsWEBGL: record('multiDrawElements'),
    multiDrawArraysInstancedWEBGL: record('multiDrawArraysInstanced'),
    multiDrawElementsInstancedWEBGL: record('multiDrawElementsInstanced'),
  };
  const context = {
    TRIANGLES,
    drawArrays: record('drawArrays'),
    drawElements: record('drawElements'),
    drawArraysInstanced: record('drawArraysInstanced'),
    drawElementsInstanced: record('drawElementsInstanced'),
    getExtension: (name: string) => (name === 'WEBGL_multi_draw' ? multiDraw : null),
  };
  return { context, multiDraw, received };
}

describe('countDrawCalls', () => {
  it('counts draws, instances and triangles of every draw function, and passes each call on unchanged', () => {
    const { context, multiDraw, received } = fakeContext();
    const originalDraw = context.drawElementsInstanced;
    const counter = countDrawCalls(context as unknown as WebGL2RenderingContext);
    expect(context.drawElementsInstanced).not.toBe(originalDraw);
    const gl = context as unknown as WebGL2RenderingContext;
    expect(gl.drawElementsInstanced(TRIANGLES, 36, 5125, 0, 10)).toBe('drawElementsInstanced');
    gl.drawArrays(TRIANGLES, 0, 9);
    gl.drawElements(LINES, 100, 5125, 0);
    gl.drawArraysInstanced(TRIANGLES, 0, 3, 4);
    const extension = multiDraw as unknown as WEBGL_multi_draw;
    extension.multiDrawElementsWEBGL(TRIANGLES, [3, 6, 9], 1, 5125, [0, 0, 0], 0, 2);
    extension.multiDrawElementsInstancedWEBGL(TRIANGLES, [3, 6], 0, 5125, [0, 0], 0, [2, 5], 0, 2);
    expect(counter.take({ drawCalls: -1, instances: -1, triangles: -1 })).toEqual({
      drawCalls: 6,
      instances: 10 + 1 + 1 + 4 + 2 + 7,
      // 36×10/3, 9/3, lines none, 3×4/3, (6+9)/3, (3×2 + 6×5)/3.
      triangles: 120 + 3 + 0 + 4 + 5 + 12,
    });
    expect(received).toEqual([
      ['drawElementsInstanced', TRIANGLES, 36, 5125, 0, 10],
      ['drawArrays', TRIANGLES, 0, 9],
      ['drawElements', LINES, 100, 5125, 0],
      ['drawArraysInstanced', TRIANGLES, 0, 3, 4],
      ['multiDrawElements', TRIANGLES, [3, 6, 9], 1, 5125, [0, 0, 0], 0, 2],
      ['multiDrawElementsInstanced', TRIANGLES, [3, 6], 0, 5125, [0, 0], 0, [2, 5], 0, 2],
    ]);
    // A take starts the count again; dispose puts the context's own functions back.
    expect(counter.take({ drawCalls: 0, instances: 0, triangles: 0 }).drawCalls).toBe(0);
    counter.dispose();
    expect(context.drawElementsInstanced).toBe(originalDraw);
  });
});
