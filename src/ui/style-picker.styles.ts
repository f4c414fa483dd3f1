/**
 * Layout of `<stereo-upmixer-style>`: the menu, the drop zone and the default button on one row that
 * wraps on narrow panels; the same buttons and selects as the rest of `<stereo-upmixer>`.
 * @packageDocumentation
 */
import { css } from 'lit';

export const pickerStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .menu {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .menu select {
    font-size: 1em;
  }
  .drop {
    flex: 1 1 200px;
    min-width: 0;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 3px 3px 3px 10px;
    border: 1px dashed color-mix(in srgb, var(--_muted) 60%, transparent);
    border-radius: var(--_radius);
    font-size: 0.85em;
    color: var(--_muted);
  }
  .drop.active {
    border-style: solid;
    border-color: var(--_accent);
    color: var(--_fg);
  }
  .drop.over {
    border-color: var(--_focus);
    background: color-mix(in srgb, var(--_focus) 10%, transparent);
  }
  .zone-text {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .hint,
  .error {
    margin: 4px 0 0;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .error {
    color: var(--_warn);
  }
`;
