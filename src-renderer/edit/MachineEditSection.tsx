import { useEffect, useState } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Machine, Signal } from '../../src-main/common/plant-schema.ts';
import { selectMachine } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { formatSampleValue } from '../ui/format.ts';
import { AnimationEditor } from './AnimationEditor.tsx';
import { limitNames, limitsWith, parseField, type LimitName } from './limits-edit.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';

/**
 * A field that changes the plant when left or on Enter (one action per change, not per keystroke); it
 * shows the file's value again whenever that changes, and Escape drops what was typed.
 */
function EditField({ label, value, onCommit, numeric = false, placeholder }: { label: string; value: string; onCommit: (text: string) => void; numeric?: boolean; placeholder?: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <input
      aria-label={label}
      value={draft}
      placeholder={placeholder}
      inputMode={numeric ? 'decimal' : undefined}
      maxLength={256}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
        else if (event.key === 'Escape') {
          setDraft(value);
          event.stopPropagation();
        }
      }}
    />
  );
}

function numberText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** Reports a number field that holds no number, and sends nothing. */
function refuseNumber(label: string, text: string): void {
  usePlantEditor.setState({ message: { text: `${label}: "${text.slice(0, 40)}" is not a number`, refused: true } });
}

/** The machine's fields: name, kind, area, line, its place on the floor and its turn; duplicate and delete. */
function MachineFields({ machine }: { machine: Machine }) {
  const set = (fields: { name?: string; kind?: string | null; area?: string; line?: string }) => void applyPlantEdit({ type: 'setMachineFields', machineId: machine.id, ...fields });
  const text = (field: 'name' | 'area' | 'line') => (value: string) => value.trim() !== '' && set({ [field]: value.trim() });
  const place = (axis: 0 | 2, label: string) => (value: string) => {
    const parsed = parseField(value);
    if (parsed === undefined || Number.isNaN(parsed)) return refuseNumber(label, value);
    const position: [number, number, number] = [...machine.position];
    position[axis] = parsed;
    void applyPlantEdit({ type: 'moveMachine', machineId: machine.id, position });
  };
  return (
    <section className="edit-section" aria-label="Machine properties">
      <h3>Properties</h3>
      <div className="edit-fields">
        <label>
          Name
          <EditField label="Name" value={machine.name} onCommit={text('name')} />
        </label>
        <label>
          Kind
          <EditField label="Kind" value={machine.kind ?? ''} onCommit={(value) => set({ kind: value.trim() === '' ? null : value.trim() })} />
        </label>
        <label>
          Area
          <EditField label="Area" value={machine.area} onCommit={text('area')} />
        </label>
        <label>
          Line
          <EditField label="Line" value={machine.line} onCommit={text('line')} />
        </label>
        <label>
          x (m)
          <EditField label="Position x" numeric value={numberText(machine.position[0])} onCommit={place(0, 'Position x')} />
        </label>
        <label>
          z (m)
          <EditField label="Position z" numeric value={numberText(machine.position[2])} onCommit={place(2, 'Position z')} />
        </label>
        <label>
          Turn (°)
          <EditField
            label="Rotation"
            numeric
            value={numberText(machine.rotation)}
            onCommit={(value) => {
              const parsed = parseField(value);
              if (parsed === undefined || Number.isNaN(parsed)) return refuseNumber('Rotation', value);
              void applyPlantEdit({ type: 'rotateMachine', machineId: machine.id, rotation: parsed });
            }}
          />
        </label>
      </div>
      <div className="edit-actions">
        <button type="button" onClick={() => void applyPlantEdit({ type: 'duplicateMachine', machineId: machine.id })} title="Duplicate (Ctrl+D)">
          Duplicate
        </button>
        <button
          type="button"
          onClick={() => {
            selectMachine(null);
            void applyPlantEdit({ type: 'deleteMachine', machineId: machine.id });
          }}
          title="Delete (Del)"
        >
          Delete
        </button>
      </div>
    </section>
  );
}

const limitLabels: Record<LimitName, string> = { lowAlarm: 'LL', lowWarn: 'L', highWarn: 'H', highAlarm: 'HH' };

/** One signal's settings: unit, period and the four limits, with the current value beside them. */
function SignalRow({ machine, signal, value, health }: { machine: Machine; signal: Signal; value: number | undefined; health: number }) {
  const setFields = (fields: { unit?: string; period?: number; limits?: ReturnType<typeof limitsWith> }) => void applyPlantEdit({ type: 'setSignalFields', machineId: machine.id, signalId: signal.id, ...fields });
  const limit = (name: LimitName) => (text: string) => {
    const parsed = parseField(text);
    if (Number.isNaN(parsed)) return refuseNumber(`${signal.id} ${name}`, text);
    setFields({ limits: limitsWith(signal.limits, name, parsed) });
  };
  return (
    <tr data-edit-signal={signal.id}>
      <td title={signal.topic ?? signal.sparkplug?.metric}>{signal.id}</td>
      <td className="edit-current" data-current-value>
        {value === undefined ? '—' : formatSampleValue(value, health)}
      </td>
      <td>
        <EditField label={`${signal.id} unit`} value={signal.unit ?? ''} onCommit={(unit) => setFields({ unit: unit.trim() })} />
      </td>
      <td>
        <EditField
          label={`${signal.id} period`}
          numeric
          value={numberText(signal.period)}
          onCommit={(text) => {
            const parsed = parseField(text);
            if (parsed === undefined || Number.isNaN(parsed)) return refuseNumber(`${signal.id} period`, text);
            setFields({ period: parsed });
          }}
        />
      </td>
      {limitNames.map((name) => (
        <td key={name}>
          <EditField label={`${signal.id} ${name}`} numeric value={numberText(signal.limits?.[name])} onCommit={limit(name)} placeholder={limitLabels[name]} />
        </td>
      ))}
      <td>
        <button type="button" aria-label={`Remove ${signal.id}`} title="Remove this signal" onClick={() => void applyPlantEdit({ type: 'removeSignal', machineId: machine.id, signalId: signal.id })}>
          ×
        </button>
      </td>
    </tr>
  );
}

/**
 * The inspector's edit part (edit mode only): the machine's properties and its signals' settings.
 * Signals are bound from the topic explorer (drag a topic here or onto the machine, or pick a number).
 */
export function MachineEditSection({ description, buffer, selected }: { description: PlantDescription; buffer: FrameBuffer; selected: number }) {
  const editing = usePlantEditor((state) => state.editing);
  const machine = description.plant.machines[selected];
  if (!editing || !machine) return null;
  const telemetry = buffer.getState();
  const firstSignal = description.signalMachine.indexOf(selected);
  return (
    <>
      <MachineFields machine={machine} />
      <section className="edit-section" aria-label="Signal settings">
        <h3>Signals</h3>
        {machine.signals.length === 0 ? (
          <p>No signals yet: open Topics (T) and drag a topic onto this machine, or click a number in a payload and bind it.</p>
        ) : (
          <table className="edit-signals">
            <thead>
              <tr>
                <th>Signal</th>
                <th>Now</th>
                <th>Unit</th>
                <th>Period (s)</th>
                <th>LL</th>
                <th>L</th>
                <th>H</th>
                <th>HH</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {machine.signals.map((signal, offset) => {
                const index = firstSignal + offset;
                const heard = firstSignal >= 0 && telemetry.sampleTimes[index]! > 0;
                return <SignalRow key={signal.id} machine={machine} signal={signal} value={heard ? telemetry.values[index] : undefined} health={telemetry.signalHealth[index] ?? 0} />;
              })}
            </tbody>
          </table>
        )}
      </section>
      <AnimationEditor description={description} machine={machine} />
    </>
  );
}
