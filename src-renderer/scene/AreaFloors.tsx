import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, CanvasTexture, LinearFilter, MeshStandardMaterial, ShaderMaterial, Vector2, Vector3 } from 'three';
import type { AreaPlate } from './plant-extent.ts';

/** The plates' colour: a shade lighter than the floor. */
const plateColour = '#454c56';
/** Label text colour and opacity, as the HTML labels had them. */
const labelColour = new Vector3(0xc5 / 255, 0xcc / 255, 0xd5 / 255);
const labelOpacity = 0.8;
/** Labels higher than this above the tallest machine of their area, in label heights, so machines do not hide them. */
const labelLift = 1.2;
/** Scene name of the plates' mesh (one quad per area), for the scene probe. */
export const areaPlatesName = 'area-plates';
/** Scene name of the labels' mesh (one quad per area, in the plates' order), for the scene probe. */
export const areaLabelsName = 'area-labels';

interface AreaFloorsProps {
  plates: AreaPlate[];
  /** Height of the plates above the floor's zero (from the stage, so the depth buffer tells them from the floor). */
  plateY: number;
  /** Height of each area's tallest machine, by area name, to float its label above. */
  areaHeights: Map<string, number>;
}

/**
 * Marks each ISA-95 area on the floor, with its name centred over it, so a visitor can tell the melt
 * shop from the mill. All plates are one mesh and all labels another (a text atlas on camera-facing
 * quads), so a site of a thousand areas costs two draw calls. The labels are drawn in the canvas, so
 * the inspector and the panels cover them, and they fade out when too small on screen to read.
 */
export function AreaFloors({ plates, plateY, areaHeights }: AreaFloorsProps) {
  const maxTextureSize = useThree((state) => state.gl.capabilities.maxTextureSize);
  const plateMesh = useMemo(() => plateGeometry(plates), [plates]);
  const labels = useMemo(() => labelMesh(plates, areaHeights, maxTextureSize), [plates, areaHeights, maxTextureSize]);
  const plateMaterial = useMemo(() => new MeshStandardMaterial({ color: plateColour, roughness: 0.9 }), []);
  useEffect(() => () => plateMesh.dispose(), [plateMesh]);
  useEffect(() => () => plateMaterial.dispose(), [plateMaterial]);
  useEffect(
    () => () => {
      labels?.geometry.dispose();
      labels?.material.dispose();
      labels?.texture.dispose();
    },
    [labels],
  );
  const size = useThree((state) => state.size);
  useEffect(() => {
    // The fade works in pixels: it needs the canvas's height.
    labels?.material.uniforms.viewport!.value.set(size.width, size.height);
  }, [labels, size]);
  return (
    <group>
      {/* Named, with each quad's area and text, so the scene probe can tell where each label and plate is drawn. */}
      <mesh name={areaPlatesName} userData={{ areas: plates.map((plate) => plate.name) }} geometry={plateMesh} material={plateMaterial} position-y={plateY} receiveShadow />
      {labels && <mesh name={areaLabelsName} userData={{ texts: labels.texts }} geometry={labels.geometry} material={labels.material} renderOrder={10} frustumCulled={false} />}
    </group>
  );
}

/** One flat quad per area, all in one geometry. */
function plateGeometry(plates: AreaPlate[]): BufferGeometry {
  const positions = new Float32Array(plates.length * 12);
  const normals = new Float32Array(plates.length * 12);
  const indices = new Uint32Array(plates.length * 6);
  plates.forEach((plate, index) => {
    const [x, z] = plate.centre;
    const [halfWidth, halfDepth] = [plate.size[0] / 2, plate.size[1] / 2];
    positions.set([x - halfWidth, 0, z + halfDepth, x + halfWidth, 0, z + halfDepth, x + halfWidth, 0, z - halfDepth, x - halfWidth, 0, z - halfDepth], index * 12);
    normals.set([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], index * 12);
    const first = index * 4;
    indices.set([first, first + 1, first + 2, first, first + 2, first + 3], index * 6);
  });
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setAttribute('normal', new BufferAttribute(normals, 3));
  geometry.setIndex(new BufferAttribute(indices, 1));
  geometry.computeBoundingSphere();
  return geometry;
}

interface LabelMesh {
  geometry: BufferGeometry;
  material: ShaderMaterial;
  texture: CanvasTexture;
  /** The text drawn for each area, in the plates' order. */
  texts: string[];
}

/**
 * Every area's name drawn once into a texture atlas, and a camera-facing quad per label that shows
 * its cell: the quad's corners are offsets in view space from the label's anchor (the `position`
 * attribute), so the text always faces the viewer and keeps its size in metres.
 */
function labelMesh(plates: AreaPlate[], areaHeights: Map<string, number>, maxTextureSize: number): LabelMesh | null {
  if (plates.length === 0) return null;
  const texts = plates.map((plate) => plate.name.toUpperCase());
  const atlas = drawAtlas(texts, Math.min(4096, maxTextureSize));
  const anchors = new Float32Array(plates.length * 12);
  const corners = new Float32Array(plates.length * 8);
  const uvs = new Float32Array(plates.length * 8);
  const heights = new Float32Array(plates.length * 4);
  const indices = new Uint32Array(plates.length * 6);
  plates.forEach((plate, index) => {
    const cell = atlas.cells[index]!;
    const height = plate.labelHeight;
    const width = (height * cell.width) / cell.height;
    const y = (areaHeights.get(plate.name) ?? 0) + height * labelLift;
    for (let corner = 0; corner < 4; corner++) anchors.set([plate.centre[0], y, plate.centre[1]], index * 12 + corner * 3);
    corners.set([-width / 2, -height / 2, width / 2, -height / 2, width / 2, height / 2, -width / 2, height / 2], index * 8);
    // The canvas's top row is the texture's v = 1 (textures are flipped on upload).
    const [left, right] = [cell.x / atlas.width, (cell.x + cell.width) / atlas.width];
    const [top, bottom] = [1 - cell.y / atlas.height, 1 - (cell.y + cell.height) / atlas.height];
    uvs.set([left, bottom, right, bottom, right, top, left, top], index * 8);
    heights.fill(height, index * 4, index * 4 + 4);
    const first = index * 4;
    indices.set([first, first + 1, first + 2, first, first + 2, first + 3], index * 6);
  });
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(anchors, 3));
  geometry.setAttribute('corner', new BufferAttribute(corners, 2));
  geometry.setAttribute('uv', new BufferAttribute(uvs, 2));
  geometry.setAttribute('labelHeight', new BufferAttribute(heights, 1));
  geometry.setIndex(new BufferAttribute(indices, 1));
  const texture = new CanvasTexture(atlas.canvas);
  texture.minFilter = LinearFilter;
  texture.generateMipmaps = false;
  const material = new ShaderMaterial({
    uniforms: {
      map: { value: texture },
      colour: { value: labelColour },
      opacity: { value: labelOpacity },
      viewport: { value: new Vector2(1, 1) },
    },
    vertexShader: labelVertexShader,
    fragmentShader: labelFragmentShader,
    transparent: true,
    // Over the machines, as a sign is: the name of the area is read first.
    depthTest: false,
    depthWrite: false,
  });
  return { geometry, material, texture, texts };
}

const labelVertexShader = /* glsl */ `
attribute vec2 corner;
attribute float labelHeight;
uniform vec2 viewport;
varying vec2 vUv;
varying float vFade;
void main() {
  vUv = uv;
  vec4 anchor = modelViewMatrix * vec4(position, 1.0);
  // Letters this many pixels tall or fewer are noise, not text: fade them out between 6 and 10 px.
  float pixels = labelHeight * projectionMatrix[1][1] / max(0.001, -anchor.z) * viewport.y * 0.5;
  vFade = smoothstep(6.0, 10.0, pixels);
  gl_Position = projectionMatrix * (anchor + vec4(corner, 0.0, 0.0));
}
`;

const labelFragmentShader = /* glsl */ `
uniform sampler2D map;
uniform vec3 colour;
uniform float opacity;
varying vec2 vUv;
varying float vFade;
void main() {
  float alpha = texture2D(map, vUv).a * opacity * vFade;
  if (alpha < 0.01) discard;
  gl_FragColor = vec4(colour, alpha);
}
`;

interface Atlas {
  canvas: HTMLCanvasElement;
  width: number;
  height: number;
  cells: Array<{ x: number; y: number; width: number; height: number }>;
}

/**
 * Draws the texts in white into one canvas, row after row, at the largest letter size (64 px at
 * most) at which they all fit within `maxSize` square: a few areas get crisp letters, two thousand
 * about 20 px ones.
 */
function drawAtlas(texts: string[], maxSize: number): Atlas {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) throw new Error('area labels: this browser gives no 2D canvas to draw them');
  const font = (pixels: number) => `600 ${pixels}px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
  // Widths at 100 px, with room either side; other sizes scale from them.
  context.font = font(100);
  const widthsAt100 = texts.map((text) => context.measureText(text).width + 40);
  let layout = packCells(widthsAt100, 64, maxSize);
  for (let letterPixels = 60; !layout.fits && letterPixels >= 8; letterPixels -= 4) layout = packCells(widthsAt100, letterPixels, maxSize);
  // Past 8 px nothing is readable anyway: the labels that do not fit are clipped, not the page.
  const { cells, width, height, letterPixels } = layout;
  canvas.width = width;
  canvas.height = Math.min(maxSize, height);
  // Resizing a canvas resets its state: the font is set after.
  context.font = font(letterPixels);
  context.fillStyle = '#ffffff';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  texts.forEach((text, index) => {
    const cell = cells[index]!;
    context.fillText(text, cell.x + cell.width / 2, cell.y + cell.height / 2, cell.width - 4);
  });
  return { canvas, width: canvas.width, height: canvas.height, cells };
}

/** Lays out cells for texts of these widths (at 100 px letters) at `letterPixels`, in rows of a roughly square atlas no wider than `maxSize`. */
function packCells(widthsAt100: number[], letterPixels: number, maxSize: number): { cells: Atlas['cells']; width: number; height: number; letterPixels: number; fits: boolean } {
  const cellHeight = Math.ceil(letterPixels * 1.3);
  const cellWidths = widthsAt100.map((width) => Math.min(maxSize, Math.ceil((width * letterPixels) / 100)));
  const totalArea = cellWidths.reduce((sum, width) => sum + width * cellHeight, 0);
  const width = Math.min(maxSize, Math.max(...cellWidths, Math.ceil(Math.sqrt(totalArea * 1.2))));
  const cells: Atlas['cells'] = [];
  let x = 0;
  let y = 0;
  for (const cellWidth of cellWidths) {
    if (x + cellWidth > width) {
      x = 0;
      y += cellHeight;
    }
    cells.push({ x, y, width: cellWidth, height: cellHeight });
    x += cellWidth;
  }
  const height = y + cellHeight;
  return { cells, width, height, letterPixels, fits: height <= maxSize };
}
