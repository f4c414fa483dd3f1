/**
 * Settings commands that name the context frame they apply from (`set-variation`, `set-input`,
 * `set-style` and `clear-style` with `atFrame`: a host's automation scheduled ahead, or a whole offline
 * bounce's automation sent before it renders), held by the processor until the render quantum that starts at or after that frame. A fixed
 * number of slots, filled at construction: holding and taking a command allocates nothing (the command
 * object itself is the port's, already made). Audio thread.
 * @packageDocumentation
 */
import type { UpmixerCommand } from './messages.js';

/** A settings command the processor can hold for later. */
export type TimedSetting = Extract<UpmixerCommand, { type: 'set-variation' | 'set-input' | 'set-style' | 'clear-style' }>;

/** How many commands can wait at once; past that, a command applies when it arrives. */
export const TIMED_SETTING_SLOTS = 64;

export class TimedSettings {
  private readonly commands: (TimedSetting | null)[] = new Array<TimedSetting | null>(TIMED_SETTING_SLOTS).fill(null);
  private readonly frames = new Float64Array(TIMED_SETTING_SLOTS);
  /** Arrival order, so that commands for the same frame apply in the order they were sent. */
  private readonly arrivals = new Float64Array(TIMED_SETTING_SLOTS);
  private arrived = 0;
  private held = 0;

  /** Holds `command` until `frame`; false if every slot is taken (then apply it now). */
  hold(command: TimedSetting, frame: number): boolean {
    if (this.held === TIMED_SETTING_SLOTS) return false;
    const slot = this.commands.indexOf(null);
    this.commands[slot] = command;
    this.frames[slot] = frame;
    this.arrivals[slot] = this.arrived++;
    this.held++;
    return true;
  }

  /**
   * The earliest held command due at `frame` (the first frame of the quantum about to render), taken
   * out; null when none is due. Call it until null.
   */
  takeDue(frame: number): TimedSetting | null {
    if (this.held === 0) return null;
    let best = -1;
    for (let slot = 0; slot < TIMED_SETTING_SLOTS; slot++) {
      if (this.commands[slot] === null || this.frames[slot] > frame) continue;
      if (best < 0 || this.frames[slot] < this.frames[best] || (this.frames[slot] === this.frames[best] && this.arrivals[slot] < this.arrivals[best])) best = slot;
    }
    if (best < 0) return null;
    const command = this.commands[best];
    this.commands[best] = null;
    this.held--;
    return command;
  }
}
