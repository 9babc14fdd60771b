import type { PlantDescription } from '../../src-main/common/contract.ts';
import { PlantScene } from '../scene/PlantScene.tsx';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { Inspector } from './Inspector.tsx';
import { Legend } from './Legend.tsx';
import { MachineList } from './MachineList.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { StatusBar } from './StatusBar.tsx';

/** The whole view: status bar, machine list, 3D plant with inspector, legend and problems. */
export function App({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  return (
    <div className="app">
      <StatusBar />
      <div className="workspace">
        <aside className="sidebar">
          <MachineList description={description} buffer={buffer} />
          <Legend />
        </aside>
        <main className="viewport">
          <PlantScene description={description} buffer={buffer} />
          <Inspector description={description} buffer={buffer} />
          <ProblemsPanel />
        </main>
      </div>
    </div>
  );
}
