import { ShiftSummaryButton } from '../ui/summary/ShiftSummaryPanel.tsx';
import { SavePictureButton } from './SavePictureButton.tsx';
import { SaveVideoButton } from './SaveVideoPanel.tsx';
import './capture.css';

/** Over the scene, beside Tours: the shift summary, Save Picture and Save Video (hidden while presenting, as every panel is). */
export function CaptureToolbar() {
  return (
    <div className="capture-toolbar" role="toolbar" aria-label="Summary, pictures and video">
      <ShiftSummaryButton />
      <SavePictureButton />
      <SaveVideoButton />
    </div>
  );
}
