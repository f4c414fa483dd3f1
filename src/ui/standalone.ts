/**
 * Entry of the self-contained build `dist/ui.bundle.js` (Lit and the main-thread API bundled in), for a
 * plain `<script type="module">` page without a bundler or an import map: it defines `<stereo-upmixer>`
 * and exports `createUpmixer` and the rest of the main-thread API. The worklet module, the model Worker,
 * the model and onnxruntime's wasm are loaded from beside it, as from `dist/index.js`.
 * @packageDocumentation
 */
export * from '../index.js';
export { BandBarsElement, CorrelationMeterElement, GoniometerElement, StereoUpmixerElement, StylePickerElement, UpmixSliderElement, correlation } from './index.js';
export type { MeterSnapshot, NodeChangeDetail, NodeChangeReason, UpmixerContext, UpmixerNodeLike, ValueFormatter } from './index.js';
