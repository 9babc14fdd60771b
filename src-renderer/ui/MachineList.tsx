import type { PlantDescription } from '../../src-main/common/contract.ts';
import { selectMachine, useViewStore } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { useThrottledVersion } from '../telemetry/use-throttled-version.ts';
import { HealthBadge } from './HealthBadge.tsx';

/** The plant's machines grouped by area and line, each with its health. */
export function MachineList({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useThrottledVersion(buffer, 500);
  const selected = useViewStore((state) => state.selectedMachine);
  const health = buffer.getState().machineHealth;
  const groups = new Map<string, Map<string, number[]>>();
  description.plant.machines.forEach((machine, index) => {
    const lines = groups.get(machine.area) ?? new Map<string, number[]>();
    const members = lines.get(machine.line) ?? [];
    members.push(index);
    lines.set(machine.line, members);
    groups.set(machine.area, lines);
  });
  return (
    <nav className="machine-list" aria-label="Machines">
      {[...groups].map(([area, lines]) => (
        <section key={area}>
          <h3>{area}</h3>
          {[...lines].map(([line, members]) => (
            <div key={line} className="line-group">
              <h4>{line}</h4>
              <ul>
                {members.map((index) => {
                  const machine = description.plant.machines[index]!;
                  return (
                    <li key={machine.id}>
                      <button type="button" className={selected === index ? 'selected' : ''} onClick={() => selectMachine(index)} data-machine={machine.id}>
                        <HealthBadge code={health[index]!} compact />
                        <span>{machine.name}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </nav>
  );
}
