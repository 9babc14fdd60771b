import { create } from 'zustand';
import type { ShiftSummary } from '../../../src-main/common/shift-summary.ts';

/** The shift summary panel: open or not, the summary last read and why reading failed. */
export interface SummaryState {
  open: boolean;
  summary: ShiftSummary | null;
  /** What the range is called: the shift's name, or "Selected range". */
  rangeName: string;
  problem: string | null;
  loading: boolean;
}

/** The shift summary panel's state, outside React so the status bar's button and the panel share it. */
export const useSummaryStore = create<SummaryState>(() => ({ open: false, summary: null, rangeName: '', problem: null, loading: false }));

/** Opens or closes the shift summary panel. */
export function showShiftSummary(open: boolean): void {
  useSummaryStore.setState({ open });
}
