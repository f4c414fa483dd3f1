/**
 * The upmixer's user interface: `<stereo-upmixer>` and its parts, as Lit custom elements. Importing this
 * module defines the elements (once). Main thread only.
 * @packageDocumentation
 */
export { StereoUpmixerElement, type MeterSnapshot, type NodeChangeDetail, type NodeChangeReason } from './stereo-upmixer.js';
export { UpmixSliderElement, type ValueFormatter } from './upmix-slider.js';
export { GoniometerElement } from './goniometer.js';
export { CorrelationMeterElement, correlation } from './correlation-meter.js';
export { BandBarsElement } from './band-bars.js';
export { StylePickerElement } from './style-picker.js';
export type { UpmixerContext } from './create-node.js';
export type { CueSourceStatus, ModelStatus, ModelStatusDetail, UpmixerNodeLike, UpmixerParamLike, UpmixerStatsLike } from './upmixer-like.js';
