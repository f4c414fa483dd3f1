/**
 * The upmixer as a Web Audio Modules 2 plugin. The default export is the `WebAudioModule` class a host
 * loads:
 *
 * ```ts
 * const [hostGroupId] = await initializeWamHost(audioContext);
 * const { default: StereoUpmixerWam } = await import('mono-upmix/wam');
 * const plugin = await StereoUpmixerWam.createInstance(hostGroupId, audioContext, { mode: 'live' });
 * source.connect(plugin.audioNode).connect(audioContext.destination);
 * document.body.append(await plugin.createGui());
 * ```
 *
 * The package builds it twice: `dist/wam.js` (the `mono-upmix/wam` export; its dependencies stay imports
 * for a bundler) and `dist/wam-plugin.js` (self-contained, for hosts that load a plugin by URL), each
 * with `upmixer.worklet.js` beside it. Main thread only.
 * @packageDocumentation
 */
import { WebAudioModule } from '@webaudiomodules/sdk';
import { createUpmixer } from './index.js';
import { SETTING_SPECS } from './dsp/controls.js';
import { INPUT_KINDS } from './dsp/input-kind.js';
import { parameterConfigurations, readState, upmixerDescriptor, type UpmixerWamParameterId } from './wam/parameters.js';
import { makeUpmixerWamNode, type UpmixerWamNode } from './wam/upmixer-wam-node.js';

export { styleChoices, upmixerDescriptor, type UpmixerWamParameterId, type UpmixerWamState, type UpmixerWamStyle } from './wam/parameters.js';
export type { UpmixerWamMembers, UpmixerWamNode } from './wam/upmixer-wam-node.js';

/** Replaced by the build with the package version. */
declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0';

/**
 * The stereo upmixer plugin. `createInstance(groupId, audioContext, initialState?)` makes an instance;
 * `initialState` may be a saved state (`audioNode.getState()`) or `{ mode: 'live' | 'quality', model: boolean, ceiling: boolean }` (`ceiling`: the output's peak limiter at the `ceilingDb` parameter, off by default; it adds 5 ms to the compensation delay).
 * The latency mode and the model switch are fixed per instance; the parameters (width, spread, bassMonoHz, mix, bypass,
 * variation, the input kind and the style preset as choices) are automatable and saved with the state, and
 * so is the style itself (a preset's name, or the numbers and name of a reference analysed with
 * `audioNode.setReference`).
 */
export default class StereoUpmixerWam extends WebAudioModule<UpmixerWamNode> {
  /** Where the worklet module is; default `upmixer.worklet.js` beside this module. Set before `createInstance`. */
  static workletUrl: string | URL | undefined = undefined;

  constructor(groupId: string, audioContext: BaseAudioContext) {
    super(groupId, audioContext);
    this._descriptor = upmixerDescriptor(VERSION);
  }

  override async createAudioNode(initialState?: unknown): Promise<UpmixerWamNode> {
    const { mode, model = true, ceiling = SETTING_SPECS.ceiling.defaultValue, parameters, style } = readState(initialState);
    const variation = Math.round(parameters.variation ?? (parameterConfigurations().variation.defaultValue as number));
    const { workletUrl } = this.constructor as typeof StereoUpmixerWam;
    const node = await createUpmixer(this.audioContext, {
      mode: mode ?? SETTING_SPECS.mode.defaultValue,
      model,
      variation,
      ceiling,
      input: INPUT_KINDS[Math.round(parameters.input ?? (parameterConfigurations().input.defaultValue as number))] ?? SETTING_SPECS.input.defaultValue,
      controls: { width: parameters.width, bassMonoHz: parameters.bassMonoHz, mix: parameters.mix, bypass: parameters.bypass, ceilingDb: parameters.ceilingDb, spread: parameters.spread },
      ...(workletUrl === undefined ? {} : { workletUrl }),
    });
    const wamNode = makeUpmixerWamNode(this, node, variation, model);
    // The saved style (a preset, or a reference's numbers and name), else the style parameter's choice.
    if (style !== undefined) wamNode.setStyle(style.style, style.referenceName);
    else if (parameters.style !== undefined) await wamNode.setParameterValues({ style: { id: 'style', value: parameters.style, normalized: false } });
    return wamNode;
  }

  override async initialize(state?: unknown): Promise<this> {
    if (!this._audioNode) this.audioNode = await this.createAudioNode(state);
    this.initialized = true;
    return this;
  }

  /** The parameter ids, in display order. */
  get parameterIds(): UpmixerWamParameterId[] {
    return Object.keys(parameterConfigurations()) as UpmixerWamParameterId[];
  }

  /** The latency in samples (as `audioNode.getCompensationDelay()`). */
  async getCompensationDelay(): Promise<number> {
    return this.audioNode.getCompensationDelay();
  }

  /**
   * A `<stereo-upmixer>` bound to this instance's node. Its mode and model controls are locked: a host
   * keeps the node it was given, so they cannot replace it.
   */
  override async createGui(): Promise<HTMLElement> {
    await import('./ui/index.js');
    const element = document.createElement('stereo-upmixer');
    element.fixedNode = true;
    element.node = this.audioNode as never;
    return element;
  }

  override destroyGui(gui: Element): void {
    gui.remove();
  }
}
