/**
 * The countermeasure's windows over a run of fbank frames (docs/antispoof.md): full windows of windowSeconds every
 * hopSeconds from the first frame; then, when frames remain after the last full window, the window the next hop
 * would start, cut short at the end of the speech, if it holds at least minSeconds; speech shorter than a window is
 * that one shorter window. Speech shorter than minSeconds has no window.
 */
import type { CmCard } from './types.js';

/** A window: `length` frames from frame `start`. */
export interface SpoofWindow {
  readonly start: number;
  readonly length: number;
}

/** The card's windowing in frames. */
export interface WindowFrames {
  readonly windowFrames: number;
  readonly hopFrames: number;
  readonly minFrames: number;
}

/** Frames per window, per hop and at least, from the card's seconds and frame shift. */
export function windowFrames(card: Pick<CmCard, 'windowing' | 'features'>): WindowFrames {
  const shift = card.features.frameShiftMs;
  const frames = (seconds: number): number => Math.max(1, Math.round((seconds * 1000) / shift));
  return { windowFrames: frames(card.windowing.windowSeconds), hopFrames: frames(card.windowing.hopSeconds), minFrames: frames(card.windowing.minSeconds) };
}

/** How many full windows fit in `numFrames` frames starting at frame 0. */
export function fullWindowCount(numFrames: number, geometry: WindowFrames): number {
  return numFrames < geometry.windowFrames ? 0 : Math.floor((numFrames - geometry.windowFrames) / geometry.hopFrames) + 1;
}

/**
 * The tail window after `full` full windows (frames counted from the first window's start), or undefined when the
 * full windows cover every frame or the tail is shorter than minFrames.
 */
export function tailWindow(numFrames: number, full: number, geometry: WindowFrames): SpoofWindow | undefined {
  const coveredTo = full === 0 ? 0 : (full - 1) * geometry.hopFrames + geometry.windowFrames;
  if (full > 0 && coveredTo >= numFrames) return undefined;
  const start = full * geometry.hopFrames;
  const length = numFrames - start;
  return length >= geometry.minFrames ? { start, length } : undefined;
}

/** Every window over `numFrames` frames, in order: the full ones, then the tail. */
export function planSpoofWindows(numFrames: number, geometry: WindowFrames): SpoofWindow[] {
  const full = fullWindowCount(numFrames, geometry);
  const windows: SpoofWindow[] = Array.from({ length: full }, (_, k) => ({ start: k * geometry.hopFrames, length: geometry.windowFrames }));
  const tail = tailWindow(numFrames, full, geometry);
  if (tail !== undefined) windows.push(tail);
  return windows;
}
