/**
 * The processor's AudioParams: one k-rate parameter per control of CONTROL_SPECS. Shared by the
 * processor and the bench's copy-only baseline with the same parameters (bench/copy.worklet.ts).
 * @packageDocumentation
 */
import { CONTROL_SPECS } from '../dsp/controls.js';
import type { AudioParamDescriptor } from './audio-worklet-global-scope.js';

/** `parameterDescriptors` of the upmixer's processor. */
export function controlParameterDescriptors(): AudioParamDescriptor[] {
  return CONTROL_SPECS.map((spec) => ({
    name: spec.name,
    automationRate: 'k-rate',
    defaultValue: spec.defaultValue,
    minValue: spec.min,
    maxValue: spec.max,
  }));
}
