/// <reference types="mocha" />
/**
 * The style controls of `<stereo-upmixer>` in Chromium: the menu (default and every preset, described),
 * the Default button, a reference mix dropped on the drop zone (a File in a DataTransfer, as a drag from
 * the desktop gives) or chosen with the file button reaching the engine (the node's cue meters read its
 * style), and a clear message for a file that gives no style.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { BAND_COUNT, createCueMeterReading, createUpmixer, MAX_REFERENCE_SECONDS, STYLE_PRESETS, type Style, type UpmixerNode } from '../../../src/index.js';
import '../../../src/ui/index.js';
import type { NodeChangeDetail, StereoUpmixerElement, StylePickerElement } from '../../../src/ui/index.js';
import { WORKLET_URL } from '../support/offline-render.js';
import type { ReferenceFileRequest } from '../support/reference-files.js';
import { audioBuffer, flatStyle, noiseMix, STYLE_WORKER_URL, wavBytes } from '../support/style-fixtures.js';
import { pollUntil } from '../../support/hang-guard.js';

const SAMPLE_RATE = 48_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `condition` (a Worker's analysis: seconds on a loaded machine); a hang ends at the test's timeout. */
async function until(condition: () => boolean, what: string): Promise<void> {
  if (!(await pollUntil(condition, 25))) throw new Error(`timed out waiting for ${what}`);
}

describe('<stereo-upmixer> style controls', () => {
  let context: AudioContext;
  let node: UpmixerNode;
  let element: StereoUpmixerElement;
  let picker: StylePickerElement;
  const part = <T extends Element = HTMLElement>(name: string): T | null => picker.shadowRoot!.querySelector<T>(`[part="${name}"]`);
  const drop = (file: File): void => {
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const zone = part('reference')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  };

  before(async () => {
    context = new AudioContext({ sampleRate: SAMPLE_RATE });
    node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, controls: { bassMonoHz: 0 }, styleWorkerUrl: STYLE_WORKER_URL });
    node.connect(context.destination);
    await context.resume();
    element = document.createElement('stereo-upmixer');
    element.style.width = '480px';
    element.node = node;
    document.body.append(element);
    await element.updateComplete;
    picker = element.shadowRoot!.querySelector('stereo-upmixer-style')!;
    await picker.updateComplete;
  });

  after(async () => {
    element.remove();
    node.dispose();
    await context.close();
  });

  it('the menu offers default and every preset, each described; choosing sets the node\'s style; numbers show as custom; Default goes back', async () => {
    const menu = part<HTMLSelectElement>('style-menu')!;
    const options = [...menu.options].filter((option) => !option.disabled);
    expect(options.map((option) => option.value)).to.deep.equal(['default', ...STYLE_PRESETS.map((preset) => preset.name)]);
    expect(options.every((option) => option.title.length > 10), 'each has a hint').to.equal(true);
    options.slice(1).forEach((option, i) => expect(option.title).to.equal(STYLE_PRESETS[i].description));
    expect(menu.value).to.equal('default');
    expect(part<HTMLButtonElement>('style-default')!.disabled, 'Default is off while the default is in use').to.equal(true);
    for (const preset of STYLE_PRESETS) {
      menu.value = preset.name;
      menu.dispatchEvent(new Event('change'));
      expect(node.styleName).to.equal(preset.name);
      await picker.updateComplete;
      expect(part('style-hint')!.textContent).to.equal(preset.description);
    }
    node.setStyle(flatStyle(0.5, 3));
    await picker.updateComplete;
    expect(menu.selectedOptions[0].textContent).to.equal('custom');
    part<HTMLButtonElement>('style-default')!.click();
    expect(node.styleName).to.equal('default');
    await picker.updateComplete;
    expect(menu.value).to.equal('default');
  });

  it('a reference dropped on the drop zone is decoded, analysed and applied: its name is shown and the engine\'s cues are its style', async () => {
    const mix = noiseMix(2 * SAMPLE_RATE, 0.3);
    drop(new File([wavBytes([mix.left, mix.right], SAMPLE_RATE)], 'band mix.wav', { type: 'audio/wav' }));
    await until(() => node.styleName === 'reference: band mix.wav', 'the reference\'s style');
    await picker.updateComplete;
    expect(part('reference')!.textContent).to.contain('matching band mix.wav');
    expect(part<HTMLSelectElement>('style-menu')!.selectedOptions[0].textContent).to.equal('reference');
    expect(part('style-hint')!.textContent).to.equal('The image of band mix.wav, analysed per band.');
    expect(part('style-error'), 'no error').to.equal(null);
    await sleep(100);
    const reading = createCueMeterReading();
    await pollUntil(() => node.readCueMeters(reading), 40);
    for (let band = 0; band < BAND_COUNT; band++) expect(Math.abs(reading.iccs[band] - node.style.icc[band]), `band ${band}`).to.be.below(0.01);
  });

  it('a reference longer than the analysed start says so in the hint; the next style clears it', async () => {
    // A long mix at a low rate (the analysis takes any rate), handed over as the decoded buffer of a file.
    const rate = 8000;
    const mix = noiseMix((MAX_REFERENCE_SECONDS + 5) * rate, 0.5, 9);
    const decode = context.decodeAudioData;
    context.decodeAudioData = () => Promise.resolve(audioBuffer([mix.left, mix.right], rate));
    try {
      drop(new File([new Uint8Array(16)], 'long set.wav', { type: 'audio/wav' }));
      await until(() => node.styleName === 'reference: long set.wav', 'the long reference\'s style');
      await until(() => /first/.test(part('style-hint')!.textContent ?? ''), 'the hint');
      expect(part('style-hint')!.textContent).to.equal(`The image of long set.wav (its first ${MAX_REFERENCE_SECONDS / 60} minutes), analysed per band.`);
    } finally {
      context.decodeAudioData = decode;
    }
    node.setStyle('natural');
    await picker.updateComplete;
    expect(part('style-hint')!.textContent).to.not.contain('first');
    // A short reference of the same name says nothing of the kind.
    const short = noiseMix(2 * SAMPLE_RATE, 0.5, 9);
    drop(new File([wavBytes([short.left, short.right], SAMPLE_RATE)], 'long set.wav', { type: 'audio/wav' }));
    await until(() => node.styleName === 'reference: long set.wav', 'the short reference\'s style');
    await picker.updateComplete;
    expect(part('style-hint')!.textContent).to.equal('The image of long set.wav, analysed per band.');
  });

  it('a dropped FLAC, MP3, Ogg Vorbis, WAV or AIFF file is read and decoded in the Worker, never whole by decodeAudioData, at its own rate: the style is the CLI\'s of the same file (to 1e-9)', async () => {
    const decode = context.decodeAudioData;
    let decoded = 0;
    context.decodeAudioData = (data: ArrayBuffer) => {
      decoded++;
      return decode.call(context, data);
    };
    try {
      // The AIFF has its sound before its format, in a 65 MB sound chunk: read by seeking, as the CLI reads a
      // file (a pipe's limit, 64 MB held while the format is awaited, does not apply to a File).
      for (const [format, sampleRate] of [['flac', 44_100], ['mp3', 44_100], ['ogg', 32_000], ['wav', 96_000], ['aiff', 44_100]] as const) {
        const { url, style } = (await executeServerCommand<{ url: string; style: Style }, ReferenceFileRequest>('reference-file', { format, seconds: 3, sampleRate, seed: 21 }))!;
        const name = `mix ${sampleRate}.${format}`;
        drop(new File([await (await fetch(url)).blob()], name));
        await until(() => node.styleName === `reference: ${name}` || part('style-error') !== null, `the ${format} reference's style`);
        expect(part('style-error')?.textContent ?? null, `${format}: no error`).to.equal(null);
        // The same samples and arithmetic; the last bits of Math's functions may differ between Node's V8 and Chromium's.
        node.style.icc.forEach((icc, band) => expect(icc, `${format} ICC ${band}`).to.be.closeTo(style.icc[band], 1e-9));
        node.style.ildDb.forEach((ild, band) => expect(ild, `${format} ILD ${band}`).to.be.closeTo(style.ildDb[band], 1e-9));
      }
    } finally {
      context.decodeAudioData = decode;
    }
    expect(decoded, 'decodeAudioData calls').to.equal(0);
    await picker.updateComplete;
    expect(part('style-error'), 'no error').to.equal(null);
  });

  it('a file that gives no style (not audio; one channel) gets a clear message in the element; the style in use stays', async () => {
    const styleName = node.styleName;
    drop(new File([new TextEncoder().encode('these are my notes, not a song')], 'notes.txt', { type: 'text/plain' }));
    await until(() => part('style-error') !== null, 'an error message');
    expect(part('style-error')!.textContent).to.match(/^notes\.txt: not an audio file this browser can decode/);
    expect(part('style-error')!.getAttribute('role')).to.equal('alert');
    const mono = noiseMix(2 * SAMPLE_RATE, 1).left;
    // The file button: a chosen file arrives as the hidden input's change.
    const input = picker.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([wavBytes([mono], SAMPLE_RATE)], 'mono take.wav', { type: 'audio/wav' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await until(() => /mono take\.wav/.test(part('style-error')?.textContent ?? ''), 'the mono file\'s message');
    expect(part('style-error')!.textContent).to.equal('mono take.wav: the reference has one channel: a style comes from a stereo mix');
    expect(node.styleName).to.equal(styleName);
    // Back to the default clears the message.
    part<HTMLButtonElement>('style-default')!.click();
    await picker.updateComplete;
    expect(part('style-error')).to.equal(null);
  });

  it('a node the element makes in place of another (a mode change) keeps its style, a reference\'s name included', async () => {
    const mix = noiseMix(2 * SAMPLE_RATE, 0.5);
    await node.setReference(audioBuffer([mix.left, mix.right], SAMPLE_RATE), 'take 2.wav');
    const replaced = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
    element.mode = 'live';
    const { node: replacement, previous } = await replaced;
    expect(previous).to.equal(node);
    expect(replacement.mode).to.equal('live');
    expect(replacement.styleName).to.equal('reference: take 2.wav');
    expect(replacement.style).to.deep.equal(node.style);
    await element.updateComplete;
    expect(picker.node).to.equal(replacement);
  });
});
