/**
 * Layout of `<stereo-upmixer>`: a panel sized by its container (a CSS container), two meter columns that
 * stay side by side down to 320 px, and a control grid that reflows from four columns to two.
 * @packageDocumentation
 */
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    min-width: 0;
  }
  .panel {
    display: grid;
    gap: var(--_gap);
    padding: var(--_gap);
    background: var(--_bg);
    border-radius: calc(var(--_radius) * 1.5);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 12px;
  }
  .title {
    font-weight: 600;
    margin-right: auto;
  }
  .status,
  .latency {
    font-size: 0.8em;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .status.model {
    color: var(--_ok);
  }
  .status.failed,
  .status.late {
    color: var(--_warn);
  }
  .status[title]:not([title='']) {
    cursor: help;
    text-decoration: underline dotted;
  }
  .meters {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    gap: var(--_gap);
    /* Not stretch: a stretched square goniometer would take its width from the row's height and overlap. */
    align-items: start;
  }
  .meters.with-input {
    grid-template-columns: minmax(0, 3fr) minmax(0, 3fr) minmax(0, 4fr);
  }
  .image {
    margin: 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .image figcaption {
    font-size: 0.8em;
    color: var(--_muted);
    text-align: center;
  }
  stereo-upmixer-goniometer {
    width: 100%;
    min-width: 0;
  }
  .input-path {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .meter-column {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }
  stereo-upmixer-bands {
    flex: 1;
  }
  .controls {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(175px, 1fr));
    gap: var(--_gap);
  }
  .switches {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    cursor: pointer;
  }
  .led {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_muted);
  }
  button[aria-checked='true'] .led {
    background: var(--_accent);
    box-shadow: 0 0 6px var(--_accent);
  }
  button[part='bypass'][aria-checked='true'] .led {
    background: var(--_warn);
    box-shadow: 0 0 6px var(--_warn);
  }
  .input-kind {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .mode {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    margin-left: auto;
    font-size: 0.9em;
    color: var(--_muted);
  }
  /* Two slider columns need about 180 px each for "Bass mono below  120 Hz" on one line. */
  @container (max-width: 380px) {
    .controls {
      grid-template-columns: minmax(0, 1fr);
      gap: 4px;
    }
    /* Input and output images side by side, the other meters below them. */
    .meters.with-input {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
    .meters.with-input .meter-column {
      grid-column: 1 / -1;
    }
  }
  @container (max-width: 360px) {
    .panel {
      --_gap: 8px;
    }
    .header .latency {
      width: 100%;
    }
  }
`;
