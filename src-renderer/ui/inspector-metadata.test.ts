import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { signalOrder } from '../../src-main/common/signal-order.ts';
import { showSignalMetadata, useViewStore } from '../state/view-store.ts';
import { createFrameBuffer } from '../telemetry/frame-buffer.ts';
// Components are type-checked with the renderer's config (which has JSX); tests are checked with the
// node config, which has none, so this one import is taken as it is.
// @ts-expect-error TS6142: the node config that checks tests does not compile JSX.
import { MachineInspector } from './Inspector.tsx';

const plant = parsePlantOrThrow(`name: Units
machines:
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pressure }
      - { id: temperature, topic: t/temperature, unit: °C, limits: { highAlarm: 90 } }
      - { id: flow, topic: t/flow, unit: m³/h }
`);
const order = signalOrder(plant);
const description: PlantDescription = { plant, signalKeys: order.keys, signalMachine: order.machineOf, modelsBaseUrl: 'models/', sourceLabel: 'Units' };

/** The inspector's cells of one signal's row, as text. */
function rowCells(markup: string, signal: string): string[] {
  const row = new RegExp(`<tr data-signal="${signal}">(.*?)</tr>`).exec(markup)?.[1] ?? '';
  return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('the inspector with what the source says about its signals', () => {
  afterEach(() => showSignalMetadata([]));

  it("shows the source's unit where the plant file gives none, the plant file's where it does, and the engineering range beside the limits", () => {
    showSignalMetadata([
      { signal: 0, unit: 'bar', low: 0, high: 16 },
      { signal: 1, unit: 'degF', low: -40, high: 400 },
    ]);
    // Rendered as the view store's metadata reaches it (the store's own hook answers a server render with its initial state).
    const { signalMetadata } = useViewStore.getState();
    const markup = renderToStaticMarkup(createElement(MachineInspector, { description, buffer: createFrameBuffer(3, 1), selected: 0, signalMetadata }));
    const [, pressureValue, , pressureLimits] = rowCells(markup, 'pressure');
    expect(pressureValue).toBe('— bar');
    expect(pressureLimits).toBe('— range 0–16');
    const [, temperatureValue, , temperatureLimits] = rowCells(markup, 'temperature');
    expect(temperatureValue).toBe('— °C');
    // The range is shown, never taken for a limit: the plant file's HH stays the only limit.
    expect(temperatureLimits).toBe('· / · … · / 90.00 range -40–400');
    const [, flowValue, , flowLimits] = rowCells(markup, 'flow');
    expect([flowValue, flowLimits]).toEqual(['— m³/h', '—']);
  });
});
