import { useEffect, useRef, useState } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { loadModel } from '../scene/model-loader.ts';
import { sceneRenderer } from './edit-scene.ts';
import { animationOf, motions, type Motion } from './animation-of.ts';
import { parseField } from './limits-edit.ts';
import { modelNodeNames } from './model-node-names.ts';
import { partAtScreen } from './pick-part.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';

/** The named parts of the machine's model file, once loaded. */
function usePartNames(description: PlantDescription, machine: Machine): string[] {
  const [names, setNames] = useState<string[]>([]);
  const file = machine.model?.file;
  useEffect(() => {
    const renderer = sceneRenderer();
    if (file === undefined || !renderer) return setNames([]);
    let current = true;
    loadModel(`${description.modelsBaseUrl}${file}`, renderer).then(
      (gltf) => current && setNames(modelNodeNames(gltf.scene)),
      (error: unknown) => current && usePlantEditor.setState({ message: { text: `${file} cannot be read for its parts: ${error instanceof Error ? error.message : String(error)}`, refused: true } }),
    );
    return () => {
      current = false;
    };
  }, [description.modelsBaseUrl, file]);
  return names;
}

/**
 * While picking, the next click on the scene names the part of the machine under the pointer (by the
 * file's node names) instead of selecting a machine.
 */
function usePartPicking(picking: boolean, machine: Machine, modelsBaseUrl: string, onPicked: (part: string | undefined) => void): void {
  // The latest callback, so the listener is not added again on every render.
  const callback = useRef(onPicked);
  callback.current = onPicked;
  useEffect(() => {
    const picked = (part: string | undefined) => callback.current(part);
    if (!picking) return;
    const onClick = (event: MouseEvent) => {
      if (!(event.target instanceof HTMLCanvasElement) || !event.target.closest('.viewport')) return;
      // The scene's own click (which selects machines) must not see it.
      event.stopPropagation();
      partAtScreen(event.clientX, event.clientY, machine, modelsBaseUrl).then(picked, (error: unknown) => {
        usePlantEditor.setState({ message: { text: `The part could not be found: ${error instanceof Error ? error.message : String(error)}`, refused: true } });
        picked(undefined);
      });
    };
    window.addEventListener('click', onClick, true);
    return () => window.removeEventListener('click', onClick, true);
  }, [picking, machine, modelsBaseUrl]);
}

/** The machine's animations, each removable, and a form to bind one: a part (listed, or clicked in the scene), what moves, the signal and its scale. */
export function AnimationEditor({ description, machine }: { description: PlantDescription; machine: Machine }) {
  const names = usePartNames(description, machine);
  const [node, setNode] = useState('');
  const [motion, setMotion] = useState<Motion>('rotation.y');
  const [signal, setSignal] = useState('');
  const [scale, setScale] = useState('1');
  const [picking, setPicking] = useState(false);
  usePartPicking(picking, machine, description.modelsBaseUrl, (part) => {
    setPicking(false);
    if (part === undefined) usePlantEditor.setState({ message: { text: `No part of ${machine.name} is there: click on the machine itself`, refused: true } });
    else setNode(part);
  });
  if (!machine.model) return null;
  const chosenSignal = signal || machine.signals[0]?.id || '';
  const add = () => {
    const parsed = parseField(scale) ?? 1;
    if (node === '' || chosenSignal === '' || Number.isNaN(parsed)) {
      usePlantEditor.setState({ message: { text: 'An animation needs a part, a signal and a numeric scale', refused: true } });
      return;
    }
    void applyPlantEdit({ type: 'bindAnimation', machineId: machine.id, animation: animationOf(node, motion, chosenSignal, parsed) });
  };
  return (
    <section className="edit-section" aria-label="Animations">
      <h3>Animations</h3>
      <ul className="edit-animations">
        {machine.animations.map((animation, index) => (
          <li key={`${animation.node}-${index}`}>
            <code>{animation.node}</code> {'spin' in animation ? `spins about ${animation.spin}` : animation.property} ← {animation.signal} × {animation.scale}
            <button type="button" aria-label={`Remove animation ${index + 1}`} onClick={() => void applyPlantEdit({ type: 'removeAnimation', machineId: machine.id, index })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {machine.signals.length === 0 ? (
        <p>Bind a signal first: an animation follows one of the machine's signals.</p>
      ) : (
        <div className="edit-fields">
          <label>
            Part
            <select aria-label="Animated part" value={node} onChange={(event) => setNode(event.target.value)}>
              <option value="">choose…</option>
              {(names.includes(node) || node === '' ? names : [node, ...names]).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <div className="edit-actions">
            <button type="button" aria-pressed={picking} onClick={() => setPicking(!picking)} title="Click a part of the machine in the scene">
              {picking ? 'Click a part…' : 'Pick in scene'}
            </button>
          </div>
          <label>
            Moves
            <select aria-label="Animated property" value={motion} onChange={(event) => setMotion(event.target.value as Motion)}>
              {motions.map((entry) => (
                <option key={entry} value={entry}>
                  {entry}
                </option>
              ))}
            </select>
          </label>
          <label>
            Signal
            <select aria-label="Animation signal" value={chosenSignal} onChange={(event) => setSignal(event.target.value)}>
              {machine.signals.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Scale
            <input aria-label="Animation scale" value={scale} inputMode="decimal" onChange={(event) => setScale(event.target.value)} />
          </label>
          <div className="edit-actions">
            <button type="button" onClick={add}>
              Bind animation
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
