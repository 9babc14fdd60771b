import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { PlantScene } from '../scene/PlantScene.tsx';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { BrokerPanel } from './BrokerPanel.tsx';
import { BrokerPasswordPrompt } from './BrokerPasswordPrompt.tsx';
import { Inspector } from './Inspector.tsx';
import { Legend } from './Legend.tsx';
import { MachineList } from './MachineList.tsx';
import { ModelLoadingProgress } from './ModelLoadingProgress.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { StatusBar } from './StatusBar.tsx';
import { TopicExplorer } from './TopicExplorer.tsx';
import { ToursLayer } from '../tours/ToursLayer.tsx';
import { AddMachinePanel } from '../edit/AddMachinePanel.tsx';
import { EditToolbar } from '../edit/EditToolbar.tsx';
import { useEditedView } from '../edit/use-edited-view.ts';
import { useTopicDrop } from '../edit/use-topic-drop.ts';
import { AlarmList } from './alarms/AlarmList.tsx';
import { useForecastFeed } from './forecast/use-forecast-feed.ts';
import { ChartPanel } from './charts/ChartPanel.tsx';
import { AnnotationsPanel } from './annotations/AnnotationsPanel.tsx';
import { askToSaveIncident } from './annotations/annotation-store.ts';
import { ShiftSummaryPanel } from './summary/ShiftSummaryPanel.tsx';
import { CaptureToolbar } from '../capture/CaptureToolbar.tsx';
import { useViewUrl } from '../state/view-url.ts';
import { Timeline, useTimelineKeys } from './Timeline.tsx';
import { electronBridge } from '../transport/electron-bridge.ts';
import { reportProblem, selectMachine, showBrokerPanel, useViewStore } from '../state/view-store.ts';

/** A recording dropped on the window opens in the desktop app; the browser mode says how instead. */
function useRecordingDrop(): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => event.preventDefault();
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      const bridge = electronBridge();
      if (!file.name.endsWith('.twinline')) reportProblem(`${file.name} is not a Twinline recording (*.twinline)`);
      else if (bridge?.openRecording) bridge.openRecording(file);
      else reportProblem(`To replay ${file.name} here, run: twinline open ${file.name}`);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}

/** The desktop menu's commands for this window: File → Save Incident… opens the notes panel's form. */
function useShellCommands(): void {
  useEffect(() => electronBridge()?.onShellCommand?.((command) => {
    if (command === 'saveIncident') askToSaveIncident();
  }), []);
}

/** F frames the plant, Escape closes the broker panel or the inspector — unless the user is typing somewhere. */
function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.key === 'f' || event.key === 'F') useViewStore.setState((state) => ({ fitRequest: state.fitRequest + 1 }));
      // Escape closes the topmost thing: the broker panel over the inspector.
      if (event.key === 'Escape') {
        if (useViewStore.getState().brokerPanelOpen) showBrokerPanel(false);
        else selectMachine(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The whole view: status bar, machine list, 3D plant with inspector, legend, problems and the broker panel. */
export function App({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useKeyboardShortcuts();
  useTimelineKeys();
  useRecordingDrop();
  useShellCommands();
  // Here, not in a panel: the forecasts reach the list, the inspector, the status bar and the scene whatever panels show.
  useForecastFeed();
  useViewUrl(description);
  // In edit mode the plant with the edits not yet saved is shown; otherwise `shown` is the running plant.
  const shown = useEditedView(description, buffer);
  useTopicDrop(shown.description);
  return (
    <div className="app">
      <StatusBar buffer={buffer} />
      <div className="workspace">
        <aside className="sidebar">
          <MachineList description={shown.description} buffer={shown.buffer} />
          <Legend />
        </aside>
        <div className="stage">
          <main className="viewport">
            <PlantScene description={shown.description} buffer={shown.buffer} />
            <ModelLoadingProgress />
            <Inspector description={shown.description} running={description} buffer={shown.buffer} />
            <ProblemsPanel />
            <BrokerPanel />
            <BrokerPasswordPrompt />
            <TopicExplorer description={description} />
            <ToursLayer description={description} buffer={buffer} />
            <AnnotationsPanel description={description} />
            <ShiftSummaryPanel description={description} />
            <CaptureToolbar />
            <AddMachinePanel description={shown.description} />
            <EditToolbar description={shown.description} />
          </main>
          <AlarmList description={description} buffer={buffer} />
          <ChartPanel description={description} buffer={buffer} />
          <Timeline />
        </div>
      </div>
    </div>
  );
}
