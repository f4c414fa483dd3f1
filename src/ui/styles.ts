/**
 * Styles of the `<stereo-upmixer>` family. Every colour, size and font comes from a CSS custom property
 * with a default, so a host page themes the element by setting them on it (or any ancestor):
 *
 * | property                   | default                 | what                                       |
 * |----------------------------|-------------------------|--------------------------------------------|
 * | `--upmix-bg`               | `#16181d`               | panel background                           |
 * | `--upmix-surface`          | `#20232b`               | meter and track background                 |
 * | `--upmix-fg`               | `#e8eaf0`               | text                                       |
 * | `--upmix-muted`            | `#9aa3b5`               | secondary text, scales                     |
 * | `--upmix-accent`           | `#5ec8f2`               | slider fill, goniometer trace, band bars   |
 * | `--upmix-accent-2`         | `#f2a65e`               | right-leaning bands                        |
 * | `--upmix-warn`             | `#ff6b6b`               | negative correlation, errors               |
 * | `--upmix-ok`               | `#7ddc8b`               | positive correlation                       |
 * | `--upmix-focus`            | `#ffd166`               | focus ring                                 |
 * | `--upmix-radius`           | `6px`                   | corner radius                              |
 * | `--upmix-gap`              | `12px`                  | spacing                                    |
 * | `--upmix-font`             | `system-ui, sans-serif` | font family                                |
 *
 * Parts for `::part()`: see the TSDoc of each element.
 * @packageDocumentation
 */
import { css } from 'lit';

/** Defaults of the custom properties and the focus ring, shared by every element of the family. */
export const themeStyles = css`
  :host {
    --_bg: var(--upmix-bg, #16181d);
    --_surface: var(--upmix-surface, #20232b);
    --_fg: var(--upmix-fg, #e8eaf0);
    --_muted: var(--upmix-muted, #9aa3b5);
    --_accent: var(--upmix-accent, #5ec8f2);
    --_accent-2: var(--upmix-accent-2, #f2a65e);
    --_warn: var(--upmix-warn, #ff6b6b);
    --_ok: var(--upmix-ok, #7ddc8b);
    --_focus: var(--upmix-focus, #ffd166);
    --_radius: var(--upmix-radius, 6px);
    --_gap: var(--upmix-gap, 12px);
    font-family: var(--upmix-font, system-ui, sans-serif);
    color: var(--_fg);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
`;

/** Buttons and selects of the panel (the switches, the mode and input menus, the style controls). */
export const formControlStyles = css`
  button,
  select {
    font: inherit;
    font-size: 0.9em;
    color: var(--_fg);
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_muted) 40%, transparent);
    border-radius: var(--_radius);
    padding: 6px 10px;
    min-height: 32px;
  }
  button {
    cursor: pointer;
  }
  button:disabled,
  select:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;

/** Reads a custom property's computed value (e.g. `--_accent`) from an element, with a fallback. */
export function cssColor(element: Element, property: string, fallback: string): string {
  const value = getComputedStyle(element).getPropertyValue(property).trim();
  return value === '' ? fallback : value;
}
