import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { PlantScene } from '../scene/PlantScene.tsx';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { Inspector } from './Inspector.tsx';
import { Legend } from './Legend.tsx';
import { MachineList } from './MachineList.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Timeline, useTimelineKeys } from './Timeline.tsx';
import { selectMachine, useViewStore } from '../state/view-store.ts';

/** F frames the plant, Escape closes the inspector — unless the user is typing somewhere. */
function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.key === 'f' || event.key === 'F') useViewStore.setState((state) => ({ fitRequest: state.fitRequest + 1 }));
      if (event.key === 'Escape') selectMachine(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The whole view: status bar, machine list, 3D plant with inspector, legend and problems. */
export function App({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useKeyboardShortcuts();
  useTimelineKeys();
  return (
    <div className="app">
      <StatusBar />
      <div className="workspace">
        <aside className="sidebar">
          <MachineList description={description} buffer={buffer} />
          <Legend />
        </aside>
        <div className="stage">
          <main className="viewport">
            <PlantScene description={description} buffer={buffer} />
            <Inspector description={description} buffer={buffer} />
            <ProblemsPanel />
          </main>
          <Timeline />
        </div>
      </div>
    </div>
  );
}
