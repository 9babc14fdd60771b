import type { MeshStandardMaterial, WebGLProgramParametersWithUniforms } from 'three';

/**
 * The alarm pulse, 0.55–1, shared by every machine material as one uniform: alarms pulse in step, and
 * the frame loop writes one number per frame instead of one per alarming machine.
 */
export const healthPulse = { value: 1 };

/** Floats per instance in each health attribute. */
export const healthTintSize = 4;
export const healthGlowSize = 4;

const vertexDeclarations = /* glsl */ `
attribute vec4 healthTint;
attribute vec4 healthGlow;
attribute float healthOpacity;
varying vec4 vHealthTint;
varying vec4 vHealthGlow;
varying float vHealthOpacity;
#ifdef HEALTH_VERTEX_SURFACE
attribute vec2 surface;
varying vec2 vSurface;
#endif
`;

const vertexAssignments = /* glsl */ `
vHealthTint = healthTint;
vHealthGlow = healthGlow;
vHealthOpacity = healthOpacity;
#ifdef HEALTH_VERTEX_SURFACE
vSurface = surface;
#endif
`;

const fragmentDeclarations = /* glsl */ `
uniform float healthPulse;
varying vec4 vHealthTint;
varying vec4 vHealthGlow;
varying float vHealthOpacity;
#ifdef HEALTH_VERTEX_SURFACE
varying vec2 vSurface;
#endif
`;

/**
 * Per-instance health in the standard material's own shader: the surface colour pulled towards the
 * state's tint (`healthTint`: rgb and how far), a glow added to the emissive light (`healthGlow`: rgb
 * already times its intensity, and 1 where it pulses), and an opacity ceiling (`healthOpacity`). The
 * same function object on every material, so three compiles one program per combination of defines.
 */
function injectHealth(shader: WebGLProgramParametersWithUniforms): void {
  shader.uniforms.healthPulse = healthPulse;
  shader.vertexShader = vertexDeclarations + shader.vertexShader.replace('#include <begin_vertex>', `#include <begin_vertex>\n${vertexAssignments}`);
  shader.fragmentShader =
    fragmentDeclarations +
    shader.fragmentShader
      .replace('#include <color_fragment>', '#include <color_fragment>\ndiffuseColor.rgb = mix(diffuseColor.rgb, vHealthTint.rgb, vHealthTint.a);\ndiffuseColor.a = min(diffuseColor.a, vHealthOpacity);')
      .replace('#include <roughnessmap_fragment>', '#include <roughnessmap_fragment>\n#ifdef HEALTH_VERTEX_SURFACE\nroughnessFactor = vSurface.x;\n#endif')
      .replace('#include <metalnessmap_fragment>', '#include <metalnessmap_fragment>\n#ifdef HEALTH_VERTEX_SURFACE\nmetalnessFactor = vSurface.y;\n#endif')
      .replace('#include <emissivemap_fragment>', '#include <emissivemap_fragment>\ntotalEmissiveRadiance += vHealthGlow.rgb * mix(1.0, healthPulse, vHealthGlow.a);');
}

/**
 * Makes a material draw per-instance health (see `injectHealth`). With `vertexSurface`, roughness and
 * metalness come from the geometry's `surface` attribute, so parts of different finishes share one draw.
 */
export function withHealthShader<T extends MeshStandardMaterial>(material: T, vertexSurface: boolean): T {
  material.onBeforeCompile = injectHealth;
  if (vertexSurface) material.defines = { ...material.defines, HEALTH_VERTEX_SURFACE: '' };
  return material;
}
