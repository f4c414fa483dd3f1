/**
 * Makes the upmixer's AudioWorkletNode a WAM2 `WamNode`: parameter info and values, state, automation
 * events and the compensation delay, answered on the main thread from the node's own AudioParams.
 *
 * Why not the sdk's `WamNode` class: it expects its processor to be a `WamProcessor` (the sdk's
 * message protocol and parameter interpolation on the audio thread), which would mean a second
 * processor beside the one the rest of the package uses. The upmixer's controls are already
 * sample-accurate k-rate AudioParams, so the WamNode methods can be answered here without a round
 * trip to the audio thread, and the plugin runs exactly the processor the tests check.
 * (`@webaudiomodules/sdk` 0.0.12 has no ParamMgr; that lives in a separate package.)
 * Main thread only.
 * @packageDocumentation
 */
import type { WamEvent, WamNode, WamParameterDataMap, WamParameterInfoMap, WebAudioModule } from '@webaudiomodules/api';
import { INPUT_KINDS } from '../dsp/input-kind.js';
import type { UpmixerNode } from '../index.js';
import { parameterInfos, readState, styleChoices, wamStyle, withinRange, type UpmixerWamParameterId, type UpmixerWamState } from './parameters.js';

/** The WamNode members the upmixer node gains (event listeners stay the AudioWorkletNode's own). */
export type UpmixerWamMembers = Omit<WamNode, keyof AudioNode | 'addEventListener' | 'removeEventListener'> & {
  /** The variation seed in use (what `setVariation` last set). */
  readonly variation: number;
};

/** The plugin's audio node: an upmixer node that is also a WamNode. */
export type UpmixerWamNode = UpmixerNode & UpmixerWamMembers;

type ControlId = Exclude<UpmixerWamParameterId, 'variation' | 'input' | 'style'>;
/** The parameters that are settings (sent as messages), not AudioParams. */
const isSetting = (id: UpmixerWamParameterId): id is 'variation' | 'input' | 'style' => id === 'variation' || id === 'input' || id === 'style';

/** Adds the WamNode members to `node`, applies `initialState`'s parameters, and returns it. */
export function makeUpmixerWamNode(module: WebAudioModule, node: UpmixerNode, initialVariation: number, model: boolean): UpmixerWamNode {
  const infos = parameterInfos();
  const ids = Object.keys(infos) as UpmixerWamParameterId[];
  const setVariation = node.setVariation.bind(node);
  let variation = initialVariation;
  let destroyed = false;

  const choices = styleChoices();
  /** The style parameter's value: the style's index among the choices, or `custom` (the last) for numbers or a reference. */
  const styleIndex = (): number => {
    const index = choices.indexOf(node.styleName);
    return index >= 0 ? index : choices.length - 1;
  };
  const read = (id: UpmixerWamParameterId): number => (id === 'variation' ? variation : id === 'input' ? INPUT_KINDS.indexOf(node.input) : id === 'style' ? styleIndex() : node[id].value);
  const write = (id: UpmixerWamParameterId, value: number, time?: number): void => {
    const next = withinRange(infos[id], value);
    if (id === 'variation') {
      variation = next;
      setVariation(next, time);
    } else if (id === 'input') {
      node.setInput(INPUT_KINDS[next], time);
    } else if (id === 'style') {
      // At its time, as the other settings (the model's condition too: the processor stamps its frames).
      // `custom` (the last choice) keeps the style in use: it names numbers, which a choice cannot carry.
      if (next < choices.length - 1 && next !== styleIndex()) node.setStyle(choices[next], undefined, time);
    } else if (time === undefined) {
      node[id as ControlId].value = next;
    } else {
      node[id as ControlId].setValueAtTime(next, time);
    }
  };
  const select = (query: string[]): UpmixerWamParameterId[] => (query.length === 0 ? ids : ids.filter((id) => query.includes(id)));

  const members: UpmixerWamMembers & Pick<UpmixerNode, 'setVariation'> = {
    module,
    groupId: module.groupId,
    moduleId: module.moduleId,
    instanceId: module.instanceId,
    get variation() {
      return variation;
    },
    setVariation(next: number): void {
      if (!Number.isInteger(next)) throw new RangeError(`variation must be an integer, not ${String(next)}`);
      variation = next;
      setVariation(next);
    },
    async getParameterInfo(...query: string[]): Promise<WamParameterInfoMap> {
      const map: WamParameterInfoMap = {};
      for (const id of select(query)) map[id] = infos[id];
      return map;
    },
    async getParameterValues(normalized = false, ...query: string[]): Promise<WamParameterDataMap> {
      const map: WamParameterDataMap = {};
      for (const id of select(query)) {
        const value = read(id);
        map[id] = { id, value: normalized ? infos[id].normalize(value) : value, normalized };
      }
      return map;
    },
    async setParameterValues(values: WamParameterDataMap): Promise<void> {
      for (const data of Object.values(values)) {
        const id = data.id as UpmixerWamParameterId;
        if (!(id in infos)) continue;
        write(id, data.normalized ? infos[id].denormalize(data.value) : data.value);
      }
    },
    async getState(): Promise<UpmixerWamState> {
      const parameters = {} as Record<UpmixerWamParameterId, number>;
      for (const id of ids) parameters[id] = read(id);
      return { format: 1, mode: node.mode, model, ceiling: node.ceiling, parameters, style: wamStyle(node.styleName, node.style) };
    },
    /** Restores parameter values and the style; mode and model are fixed for the instance (a different one is reported, not applied). */
    async setState(state: unknown): Promise<void> {
      const { mode, parameters, style } = readState(state);
      if (mode !== undefined && mode !== node.mode) {
        console.warn(`stereo upmixer: this instance runs in "${node.mode}" mode; "${mode}" from the state applies to new instances only`);
      }
      if (state !== null && typeof state === 'object' && typeof (state as { model?: unknown }).model === 'boolean' && (state as { model: boolean }).model !== model) {
        console.warn(`stereo upmixer: the model is ${model ? 'on' : 'off'} in this instance; the state's setting applies to new instances only`);
      }
      for (const id of ids) {
        const value = parameters[id];
        if (value !== undefined) write(id, value);
      }
      // The saved style (with a reference's numbers and name) after the style parameter, which cannot carry them.
      if (style !== undefined) node.setStyle(style.style, style.referenceName);
    },
    /** The algorithmic latency in samples (hosts delay the other tracks by this much). */
    async getCompensationDelay(): Promise<number> {
      return node.latencySamples;
    },
    scheduleEvents(...events: WamEvent[]): void {
      for (const event of events) {
        if (event.type !== 'wam-automation') continue;
        const id = event.data.id as UpmixerWamParameterId;
        if (!(id in infos)) continue;
        const value = event.data.normalized ? infos[id].denormalize(event.data.value) : event.data.value;
        write(id, value, event.time === undefined ? undefined : Math.max(event.time, node.context.currentTime));
        node.dispatchEvent(new CustomEvent(event.type, { detail: event }));
      }
    },
    clearEvents(): void {
      for (const id of ids) if (!isSetting(id)) node[id].cancelScheduledValues(0);
    },
    // The plugin has no event outputs (descriptor: no MIDI, no automation output).
    connectEvents(): void {},
    disconnectEvents(): void {},
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      node.disconnect();
      node.dispose();
      node.port.close();
    },
  };
  // Accessor-preserving copy (Object.assign would freeze `variation` at its current value).
  Object.defineProperties(node, Object.getOwnPropertyDescriptors(members));
  return node as UpmixerWamNode;
}
