/// <reference types="mocha" />
/**
 * `<stereo-upmixer>` in Chromium: renders, passes axe-core, moves the AudioParams from the keyboard,
 * follows the params, replaces the node on a mode change, fits 320 px, and its meters move while audio
 * plays and rest after it stops.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import 'axe-core/axe.js';
import type { AxeResults } from 'axe-core';
import { createUpmixer, type UpmixerNode } from '../../../src/index.js';
import '../../../src/ui/index.js';
import type { NodeChangeDetail, StereoUpmixerElement, UpmixSliderElement } from '../../../src/ui/index.js';
import { WORKLET_URL } from '../support/offline-render.js';
import { pollUntil } from '../../support/hang-guard.js';

const axe = (window as unknown as { axe: { run(context: Element, options?: object): Promise<AxeResults> } }).axe;

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function mount(configure: (element: StereoUpmixerElement) => void): Promise<StereoUpmixerElement> {
  const element = document.createElement('stereo-upmixer');
  element.style.width = '480px';
  configure(element);
  document.body.append(element);
  await element.updateComplete;
  // The visibility observer reports after a rendering frame; the meter loop starts on the next.
  for (let i = 0; i < 3; i++) await nextFrame();
  return element;
}

function slider(element: StereoUpmixerElement, part: string): UpmixSliderElement {
  const found = element.shadowRoot?.querySelector<UpmixSliderElement>(`[part="${part}"]`);
  if (!found) throw new Error(`no ${part} slider`);
  return found;
}

function sliderHandle(control: UpmixSliderElement): HTMLElement {
  const handle = control.shadowRoot?.querySelector<HTMLElement>('[role="slider"]');
  if (!handle) throw new Error('no role=slider');
  return handle;
}

describe('<stereo-upmixer>', () => {
  let context: AudioContext;
  let node: UpmixerNode;
  let element: StereoUpmixerElement;

  beforeEach(async () => {
    context = new AudioContext({ sampleRate: 48_000 });
    // The model has its own tests (test/model); these run on the fixed profile.
    node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false });
    node.connect(context.destination);
    element = await mount((e) => (e.node = node));
  });

  afterEach(async () => {
    element.remove();
    await context.close();
  });

  it('renders the meters, the controls and the latency', async () => {
    const root = element.shadowRoot!;
    for (const selector of ['stereo-upmixer-goniometer', 'stereo-upmixer-correlation', 'stereo-upmixer-bands', '[part="bypass"]', '[part="model"]', 'select[part="mode"]']) {
      expect(root.querySelector(selector), selector).to.not.equal(null);
    }
    expect(root.querySelectorAll('stereo-upmixer-slider').length).to.equal(5);
    expect(root.querySelector('[part="latency"]')?.textContent).to.contain(`${node.latencySamples} samples`);
    expect(root.querySelector('[part="status"]')?.textContent).to.equal('model off · fixed profile');
    expect(slider(element, 'width').value).to.equal(1);
  });

  it('has no axe-core accessibility violations', async () => {
    const results = await axe.run(element, { resultTypes: ['violations'] });
    const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(summary).to.deep.equal([]);
  });

  it('sliders expose role, range, value and a label', () => {
    const handle = sliderHandle(slider(element, 'bass-mono'));
    expect(handle.getAttribute('aria-valuemin')).to.equal('0');
    expect(handle.getAttribute('aria-valuemax')).to.equal('500');
    expect(handle.getAttribute('aria-valuenow')).to.equal('120');
    expect(handle.getAttribute('aria-valuetext')).to.equal('120 Hz');
    expect(handle.getAttribute('tabindex')).to.equal('0');
    const labelId = handle.getAttribute('aria-labelledby')!;
    expect(handle.getRootNode() instanceof ShadowRoot && (handle.getRootNode() as ShadowRoot).getElementById(labelId)?.textContent).to.equal('Bass mono below');
  });

  it('keyboard moves the AudioParam: arrows, Page Up/Down, Home/End, Delete resets', async () => {
    sliderHandle(slider(element, 'width')).focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(node.width.value).to.be.closeTo(1.01, 1e-6);
    await sendKeys({ press: 'PageUp' });
    expect(node.width.value).to.be.closeTo(1.11, 1e-6);
    await sendKeys({ press: 'ArrowDown' });
    expect(node.width.value).to.be.closeTo(1.1, 1e-6);
    await sendKeys({ press: 'Home' });
    expect(node.width.value).to.equal(0);
    await sendKeys({ press: 'End' });
    expect(node.width.value).to.equal(2);
    await sendKeys({ press: 'Delete' });
    expect(node.width.value).to.equal(1);
    sliderHandle(slider(element, 'bass-mono')).focus();
    await sendKeys({ press: 'PageDown' });
    expect(node.bassMonoHz.value).to.equal(70);
    const bypass = element.shadowRoot!.querySelector<HTMLButtonElement>('[part="bypass"]')!;
    bypass.focus();
    await sendKeys({ press: 'Space' });
    expect(node.bypass.value).to.equal(1);
    await element.updateComplete;
    expect(bypass.getAttribute('aria-checked')).to.equal('true');
  });

  it('double-click resets a slider to its default', async () => {
    node.mix.value = 0.3;
    const handle = sliderHandle(slider(element, 'mix'));
    handle.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    expect(node.mix.value).to.equal(1);
  });

  it('follows the AudioParams when the host moves them', async () => {
    node.width.value = 0.5;
    node.bypass.value = 1;
    await nextFrame();
    await nextFrame();
    await element.updateComplete;
    expect(sliderHandle(slider(element, 'width')).getAttribute('aria-valuenow')).to.equal('0.5');
    expect(element.shadowRoot!.querySelector('[part="bypass"]')?.getAttribute('aria-checked')).to.equal('true');
  });

  it('a mode change makes a new node and announces it with nodechange', async () => {
    element.workletUrl = WORKLET_URL;
    node.width.value = 1.5;
    await element.updateComplete;
    expect(element.model, 'the switch follows the node: model off').to.equal(false);
    await nextFrame();
    const announced = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
    const select = element.shadowRoot!.querySelector<HTMLSelectElement>('select[part="mode"]')!;
    select.value = 'live';
    select.dispatchEvent(new Event('change'));
    const { node: next, previous, reason } = await announced;
    expect(reason).to.equal('mode');
    expect(previous).to.equal(node);
    expect(next.mode).to.equal('live');
    expect(next.width.value, 'controls carried over').to.be.closeTo(1.5, 1e-6);
    expect(element.node).to.equal(next);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part="latency"]')?.textContent).to.contain(`${next.latencySamples} samples`);
  });

  it('given only a context, makes its own node', async () => {
    const own = await mount((e) => {
      e.workletUrl = WORKLET_URL;
      e.mode = 'live';
      e.model = false;
    });
    const announced = new Promise<NodeChangeDetail>((resolve) => own.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
    own.context = context;
    const detail = await announced;
    expect(detail.reason).to.equal('created');
    expect(detail.previous).to.equal(null);
    expect(detail.node.mode).to.equal('live');
    expect(detail.node.modelStatus).to.equal('off');
    own.remove();
  });

  it('fits a 320 px container without overflowing', async () => {
    element.style.width = '320px';
    await sleep(50);
    const panel = element.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    expect(panel.getBoundingClientRect().width).to.be.at.most(320);
    expect(panel.scrollWidth).to.be.at.most(panel.clientWidth);
    for (const part of ['goniometer', 'bands', 'width']) {
      const box = element.shadowRoot!.querySelector(`[part="${part}"]`)!.getBoundingClientRect();
      expect(box.width, part).to.be.above(40);
      expect(box.right, part).to.be.at.most(element.getBoundingClientRect().right + 0.5);
    }
  });

  it('meters move while audio plays and rest after it stops', async () => {
    await context.resume();
    const noise = context.createBuffer(1, context.sampleRate, context.sampleRate);
    const samples = noise.getChannelData(0);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * (Math.random() * 2 - 1);
    const source = new AudioBufferSourceNode(context, { buffer: noise, loop: true });
    source.connect(node);
    expect(element.metersRunning, 'animating while visible').to.equal(true);
    expect(element.meterSnapshot.peak, 'silent before').to.equal(0);
    source.start();
    const started = performance.now();
    // Until the goniometer and the band bars show the sound (a wall-clock sleep alone races the audio on a
    // loaded machine; a meter that never moves ends at the test's timeout), and at least 700 ms for the
    // meters' ballistics (300 ms).
    await pollUntil(() => element.meterSnapshot.peak > 0.05 && element.meterSnapshot.bandWidth > 1, 25);
    await sleep(700 - (performance.now() - started));
    const playing = element.meterSnapshot;
    expect(playing.peak, 'goniometer').to.be.above(0.05);
    expect(playing.bandWidth, 'band bars').to.be.above(1);
    expect(Math.abs(playing.correlation), 'correlation meter').to.be.above(0.05);
    expect(playing.correlation).to.be.below(0.95);
    source.stop();
    // The upmixer's latency and the meters' ballistics (300 ms) need a moment: until they rest (a meter
    // that never rests ends at the test's timeout).
    await pollUntil(() => element.meterSnapshot.peak === 0 && element.meterSnapshot.bandWidth < 0.01 && Math.abs(element.meterSnapshot.correlation) < 0.02, 25);
    const rest = element.meterSnapshot;
    expect(rest.peak, 'goniometer at rest').to.equal(0);
    expect(rest.bandWidth, 'band bars at rest').to.be.below(0.01);
    expect(Math.abs(rest.correlation), 'correlation at rest').to.be.below(0.02);
  });

  it('the spread slider and the input select move the node', async () => {
    sliderHandle(slider(element, 'spread')).focus();
    await sendKeys({ press: 'Home' });
    expect(node.spread.value).to.equal(0);
    await sendKeys({ press: 'End' });
    expect(node.spread.value).to.equal(1);
    const select = element.shadowRoot!.querySelector<HTMLSelectElement>('select[part="input"]')!;
    expect(select.value).to.equal('auto');
    select.value = 'mono';
    select.dispatchEvent(new Event('change'));
    await element.updateComplete;
    expect(node.input).to.equal('mono');
  });

  it('with a source, shows the input image beside the output image and the path the input takes', async () => {
    // A hard-panned stereo source: noise on the left only.
    const noise = new AudioBuffer({ numberOfChannels: 2, length: context.sampleRate, sampleRate: context.sampleRate });
    const samples = noise.getChannelData(0);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * (Math.random() * 2 - 1);
    const source = new AudioBufferSourceNode(context, { buffer: noise, loop: true });
    source.connect(node);
    element.source = source;
    await element.updateComplete;
    const root = element.shadowRoot!;
    const input = root.querySelector('[part="input-goniometer"]')!.getBoundingClientRect();
    const output = root.querySelector('[part="goniometer"]')!.getBoundingClientRect();
    expect(input.right, 'input left of output').to.be.at.most(output.left);
    expect(Math.abs(input.top - output.top), 'same row').to.be.below(2);
    source.start();
    // Until both images show the sound (a wall-clock sleep alone races the audio on a loaded machine).
    await pollUntil(() => element.meterSnapshot.inputPeak > 0.05 && element.meterSnapshot.peak > 0.05, 25);
    // Each image is drawn in its own goniometer.
    const peakOf = (part: string): number => (root.querySelector(`[part="${part}"]`) as unknown as { peak: number }).peak;
    expect(peakOf('input-goniometer'), 'input image moves').to.be.above(0.05);
    expect(peakOf('goniometer'), 'output image moves').to.be.above(0.05);
    expect(element.meterSnapshot.inputPeak).to.equal(peakOf('input-goniometer'));
    expect(element.meterSnapshot.peak).to.equal(peakOf('goniometer'));
    expect(root.querySelector('[part="input-path"]')?.textContent).to.equal('stereo path');
    source.stop();
  });

  it('stops animating when scrolled out of view', async () => {
    element.style.marginTop = '200vh';
    await sleep(100);
    expect(element.metersRunning).to.equal(false);
    element.style.marginTop = '';
    await sleep(100);
    expect(element.metersRunning).to.equal(true);
  });
});
