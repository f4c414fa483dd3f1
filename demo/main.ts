/**
 * The demo page: plays the bundled mono clip or the hard-panned stereo example (or the listener's file,
 * or the microphone) through the upmixer, shows `<stereo-upmixer>` with the input's image beside the
 * output's, A/B with level matching, renders the whole file offline to a stereo
 * WAV, and measures each mode's latency. Built by build.mjs into dist/demo.js (self-contained), served
 * by demo/serve.mjs.
 */
import '../src/ui/index.js';
import type { NodeChangeDetail, StereoUpmixerElement, UpmixerNodeLike } from '../src/ui/index.js';
import { audioFileRate, targetSampleRate } from '../src/audio-file/file-rate.js';
import type { SampleEncoding } from '../src/cli/wav-format.js';
import type { LatencyMode } from '../src/index.js';
import { checkChannels } from './channel-warnings.js';
import { measureAllLatencies } from './latency-probe.js';
import { LevelMatcher } from './level-match.js';
import { RenderCancelled, renderOffline } from './offline-render.js';
import { encodeWav } from './wav-export.js';

const EXAMPLE_URL = '/examples/mono-clip.wav';
/** The same band mixed the 1960s way (drums and bass hard left, pad and melody hard right). */
const STEREO_EXAMPLE_URL = '/examples/hard-panned-stereo.wav';

function $<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

const ui = {
  upmixer: $<StereoUpmixerElement>('upmixer'),
  playExample: $<HTMLButtonElement>('play-example'),
  playStereoExample: $<HTMLButtonElement>('play-stereo-example'),
  stop: $<HTMLButtonElement>('stop'),
  file: $<HTMLInputElement>('file'),
  drop: $<HTMLElement>('drop'),
  headphones: $<HTMLInputElement>('headphones'),
  microphone: $<HTMLButtonElement>('microphone'),
  nowPlaying: $<HTMLElement>('now-playing'),
  channelWarnings: $<HTMLElement>('channel-warnings'),
  channelWarningLines: $<HTMLUListElement>('channel-warning-lines'),
  levelMatch: $<HTMLInputElement>('level-match'),
  correction: $<HTMLElement>('correction'),
  render: $<HTMLButtonElement>('render'),
  cancelRender: $<HTMLButtonElement>('cancel-render'),
  renderNote: $<HTMLElement>('render-note'),
  encoding: $<HTMLSelectElement>('encoding'),
  progress: $<HTMLProgressElement>('progress'),
  download: $<HTMLAnchorElement>('download'),
  latency: $<HTMLTableSectionElement>('latency-rows'),
  isolation: $<HTMLElement>('isolation'),
};

/** Everything that exists once the listener has started audio. */
interface Session {
  readonly context: AudioContext;
  /** Sources connect here; it feeds the upmixer and the level meter. */
  readonly input: GainNode;
  readonly matcher: LevelMatcher;
  /** For tests and the curious: the raw output, per channel. */
  readonly outputSplitter: ChannelSplitterNode;
  readonly outputAnalysers: [AnalyserNode, AnalyserNode];
  node: UpmixerNodeLike | null;
}

let session: Session | null = null;
let source: AudioScheduledSourceNode | null = null;
/** The live microphone, and the latency mode to go back to when it stops (null: leave the mode alone). */
let microphone: { stream: MediaStream; node: MediaStreamAudioSourceNode; restoreMode: LatencyMode | null } | null = null;
/** The render in progress (its cancel switch), or null. */
let rendering: AbortController | null = null;
let currentBuffer: AudioBuffer | null = null;
let currentName = 'mono-clip';
/**
 * Counts what the listener asked for last (a file, an example, the microphone, Stop): a file decodes for a
 * while, and only the latest request may start playing when it is ready (not the one that decoded last).
 */
let request = 0;
/** Counts the sources that took over playing: a channel check still running for an earlier one stops. */
let played = 0;
/** The channel check of the file that plays (its warning lines; undefined if a later source stopped it). */
let channelCheck: Promise<string[] | undefined> = Promise.resolve([]);

function connectNode(s: Session, node: UpmixerNodeLike, previous: UpmixerNodeLike | null): void {
  const audio = node as unknown as AudioWorkletNode;
  s.input.connect(audio);
  audio.connect(s.matcher.gain);
  audio.connect(s.outputSplitter);
  s.matcher.watch(audio);
  if (previous) {
    // The element disposes of nodes it made itself; this only rewires.
    const old = previous as unknown as AudioWorkletNode;
    s.input.disconnect(old);
    s.matcher.unwatch(old);
    old.disconnect();
  }
  s.node = node;
}

/** Creates the context and the graph on the first user gesture; the element makes the node. */
async function ensureSession(): Promise<Session> {
  if (session) {
    await session.context.resume();
    return session;
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  const input = new GainNode(context);
  const matcher = new LevelMatcher(context, input);
  matcher.gain.connect(context.destination);
  const outputSplitter = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
  const outputAnalysers: [AnalyserNode, AnalyserNode] = [new AnalyserNode(context, { fftSize: 4096 }), new AnalyserNode(context, { fftSize: 4096 })];
  outputSplitter.connect(outputAnalysers[0], 0);
  outputSplitter.connect(outputAnalysers[1], 1);
  const created: Session = { context, input, matcher, outputSplitter, outputAnalysers, node: null };
  session = created;
  const ready = new Promise<void>((resolve) => {
    ui.upmixer.addEventListener('nodechange', (event: CustomEvent<NodeChangeDetail>) => {
      connectNode(created, event.detail.node, event.detail.previous);
      resolve();
    });
  });
  ui.upmixer.context = context;
  // The element draws what goes into the effect beside what comes out.
  ui.upmixer.source = input;
  await ready;
  setInterval(() => tick(created), 100);
  await context.resume();
  return created;
}

/** 10 Hz: level matching follows the bypass param (the element's Bypass switch is the A/B control). */
function tick(s: Session): void {
  const bypassed = (s.node?.bypass.value ?? 0) >= 0.5;
  s.matcher.setBypassed(bypassed);
  s.matcher.measure();
  const db = s.matcher.correctionDb;
  const hearing = bypassed ? 'hearing A (input)' : 'hearing B (upmixed)';
  ui.correction.textContent = ui.levelMatch.checked ? `${hearing}; B ${db >= 0 ? '+' : ''}${db.toFixed(1)} dB to match A` : `${hearing}; not level-matched`;
}

/** Render works on the file that plays (or played last); not while the microphone is the source. */
function updateRender(): void {
  const reason = rendering
    ? rendering.signal.aborted
      ? 'Cancelling…'
      : 'Rendering…'
    : microphone
      ? 'The microphone cannot be rendered (it is live); play a file to render it.'
      : currentBuffer
        ? `Renders ${currentName} with the current settings.`
        : 'Play the example clip or a file first: the render is of that file.';
  ui.render.disabled = rendering !== null || microphone !== null || currentBuffer === null;
  ui.cancelRender.hidden = rendering === null;
  ui.cancelRender.disabled = rendering?.signal.aborted ?? true;
  ui.renderNote.textContent = reason;
}

function stopSources(): void {
  source?.stop();
  source?.disconnect();
  source = null;
  let restored = '';
  if (microphone) {
    microphone.node.disconnect();
    for (const track of microphone.stream.getTracks()) track.stop();
    // Undo the switch to live mode, unless the listener chose a mode since.
    if (microphone.restoreMode && ui.upmixer.mode === 'live') {
      ui.upmixer.mode = microphone.restoreMode;
      restored = ` The upmixer is back in ${microphone.restoreMode} mode.`;
    }
    microphone = null;
  }
  ui.nowPlaying.textContent = `Stopped.${restored}`;
  ui.stop.disabled = true;
  updateRender();
}

/** "mono", "stereo", or how many channels (the node takes two: Web Audio downmixes the rest). */
function describeChannels(channels: number): string {
  return channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels, downmixed to stereo`;
}

/** Shows the channel check's warning lines under the file's name (hidden when there are none). */
function showChannelWarnings(lines: readonly string[]): void {
  ui.channelWarningLines.replaceChildren(
    ...lines.map((line) => {
      const item = document.createElement('li');
      item.textContent = line;
      return item;
    }),
  );
  ui.channelWarnings.hidden = lines.length === 0;
}

/** A new source plays: the previous file's channel warnings go, and its check (if still running) stops. */
function clearChannelWarnings(): void {
  played++;
  channelCheck = Promise.resolve([]);
  showChannelWarnings([]);
}

/**
 * Checks a listener's file's channels as the CLI does (channel-warnings.ts), after playback has started,
 * and shows what it finds unless another source has taken over meanwhile. `fileName` names it in the lines.
 */
function startChannelCheck(buffer: AudioBuffer, fileName: string): void {
  const mine = played;
  // The stereo path keeps a stereo file's image (faults included) unless the input is taken for mono.
  const stereoShare = ui.upmixer.input === 'mono' ? 0 : 1;
  channelCheck = checkChannels(buffer, fileName, stereoShare, () => mine === played);
  channelCheck
    .then((lines) => {
      if (lines && mine === played) showChannelWarnings(lines);
    })
    .catch(report);
}

/**
 * Plays `buffer` unless the listener asked for something else since `asked` (a {@link request} number);
 * `fileName` (a listener's file) has its channels checked once it plays.
 */
async function playBuffer(buffer: AudioBuffer, name: string, asked: number, fileName?: string): Promise<void> {
  const s = await ensureSession();
  if (asked !== request) return;
  stopSources();
  clearChannelWarnings();
  currentBuffer = buffer;
  currentName = name;
  const player = new AudioBufferSourceNode(s.context, { buffer, loop: true });
  player.connect(s.input);
  player.start();
  source = player;
  ui.nowPlaying.textContent = `Playing ${name} (${buffer.duration.toFixed(1)} s, ${describeChannels(buffer.numberOfChannels)}), looped.`;
  ui.stop.disabled = false;
  updateRender();
  if (fileName !== undefined) startChannelCheck(buffer, fileName);
}

/**
 * Decodes `data` (the file `fileName`, `file` its bytes as a Blob for the rate probe) at the file's own
 * rate, read from its header (brought into 22.05-192 kHz as the CLI does): an OfflineAudioContext at that
 * rate decodes without resampling, so a 44.1 kHz file renders and exports at 44.1 kHz whatever the
 * device's rate (playback resamples it to the device). A format whose header is not read here decodes at
 * the context's rate. Says which file and why when it cannot.
 */
async function decode(data: ArrayBuffer, file: Blob, fileName: string): Promise<AudioBuffer> {
  const s = await ensureSession();
  const fileRate = await audioFileRate(file).catch(() => undefined);
  const sampleRate = fileRate === undefined ? s.context.sampleRate : targetSampleRate(fileRate);
  const decoder = sampleRate === s.context.sampleRate ? s.context : new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
  let buffer: AudioBuffer;
  try {
    buffer = await decoder.decodeAudioData(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${fileName} could not be decoded: it is not audio, or in a format this browser cannot read (${reason}).`);
  }
  // Chromium gives a file shorter than one sample at the decoding rate as an empty buffer.
  if (buffer.length === 0) throw new Error(`${fileName} holds no audio (no samples at ${sampleRate} Hz).`);
  return buffer;
}

async function playExample(url = EXAMPLE_URL, name = 'mono-clip'): Promise<void> {
  const asked = ++request;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  const data = await response.arrayBuffer();
  const buffer = await decode(data, new Blob([data]), url);
  await playBuffer(buffer, name, asked);
}

async function playFile(file: File): Promise<void> {
  const asked = ++request;
  const name = file.name.replace(/\.[^.]+$/, '') || 'audio';
  let data: ArrayBuffer;
  try {
    data = await file.arrayBuffer();
  } catch (error) {
    // A folder dropped, or a file moved or deleted since it was picked.
    throw new Error(`${file.name} could not be read: it is a folder, or was moved or deleted (${error instanceof Error ? error.message : String(error)}).`);
  }
  const buffer = await decode(data, file, file.name);
  await playBuffer(buffer, name, asked, file.name);
}

/** The Stop button: also cancels a file still being decoded. */
function stop(): void {
  request++;
  stopSources();
}

async function startMicrophone(): Promise<void> {
  const asked = ++request;
  const s = await ensureSession();
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (error) {
    // NotAllowedError (permission refused), NotFoundError (no microphone), NotReadableError (in use elsewhere).
    throw new Error(`the microphone could not be opened (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}).`);
  }
  if (asked !== request) {
    for (const track of stream.getTracks()) track.stop();
    return;
  }
  stopSources();
  clearChannelWarnings();
  const node = s.context.createMediaStreamSource(stream);
  node.connect(s.input);
  // Monitoring wants the smallest delay: live mode while the microphone is on, the previous mode after.
  const previousMode = ui.upmixer.mode;
  microphone = { stream, node, restoreMode: previousMode === 'live' ? null : previousMode };
  ui.upmixer.mode = 'live';
  ui.nowPlaying.textContent =
    previousMode === 'live'
      ? 'Monitoring the microphone in live mode. Keep your headphones on.'
      : `Monitoring the microphone: switched the upmixer from ${previousMode} to live mode (${previousMode} mode's delay is audible when you hear yourself); Stop switches it back. Keep your headphones on.`;
  ui.stop.disabled = false;
  updateRender();
  // The microphone can also stop by itself (unplugged, permission revoked): undo the same way.
  for (const track of stream.getAudioTracks()) {
    track.addEventListener('ended', () => {
      if (microphone?.stream === stream) stopSources();
    });
  }
}

function report(error: unknown): void {
  console.error(error);
  // What played before goes on playing: say so, or the page would seem to have stopped.
  const still = source !== null ? ` Still playing ${currentName}.` : microphone !== null ? ' Still monitoring the microphone.' : '';
  const message = error instanceof Error ? error.message : String(error);
  ui.nowPlaying.textContent = `Error: ${message}${still && !/[.!?]$/.test(message) ? '.' : ''}${still}`;
}

async function renderAndDownload(): Promise<void> {
  if (!currentBuffer || microphone) return;
  const node = session?.node;
  // The listener may pick another file while this one renders: the download keeps this one's name.
  const name = currentName;
  const controller = new AbortController();
  rendering = controller;
  updateRender();
  ui.download.hidden = true;
  ui.progress.value = 0;
  try {
    const rendered = await renderOffline(
      currentBuffer,
      {
        mode: ui.upmixer.mode,
        variation: ui.upmixer.variation,
        model: ui.upmixer.model,
        input: ui.upmixer.input,
        ...(node ? { style: node.style } : {}),
        // PCM clips above full scale: the limiter keeps the peaks under the ceiling, as the CLI does.
        ceiling: (node?.ceiling ?? false) || ui.encoding.value !== 'float32',
        controls: node
          ? { width: node.width.value, bassMonoHz: node.bassMonoHz.value, mix: node.mix.value, spread: node.spread.value, ...(node.ceiling ? { ceilingDb: node.ceilingDb.value } : {}) }
          : {},
      },
      (done) => (ui.progress.value = done),
      controller.signal,
    );
    const { blob, clippedSamples } = encodeWav(rendered, ui.encoding.value as SampleEncoding);
    if (ui.download.href) URL.revokeObjectURL(ui.download.href);
    ui.download.href = URL.createObjectURL(blob);
    ui.download.download = `${name}.stereo.wav`;
    ui.download.textContent = `Download ${name}.stereo.wav (${(blob.size / 1e6).toFixed(1)} MB, ${rendered.sampleRate / 1000} kHz${clippedSamples ? `, ${clippedSamples} samples clipped` : ''})`;
    ui.download.hidden = false;
    ui.download.click();
  } catch (error) {
    if (!(error instanceof RenderCancelled)) report(error);
  } finally {
    rendering = null;
    updateRender();
    if (controller.signal.aborted) {
      ui.progress.value = 0;
      ui.renderNote.textContent = `Render cancelled. ${ui.renderNote.textContent}`;
    }
  }
}

async function showLatencies(): Promise<void> {
  const rows = await measureAllLatencies([44_100, 48_000]);
  ui.latency.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      const ms = (samples: number): string => `${((1000 * samples) / row.sampleRate).toFixed(2)} ms`;
      for (const text of [row.mode, `${row.sampleRate / 1000} kHz`, `${row.measuredSamples} samples (${ms(row.measuredSamples)})`, `${row.reportedSamples}`]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

ui.isolation.textContent = crossOriginIsolated
  ? 'This page is cross-origin isolated: the meters read the engine over shared memory.'
  : 'This page is not cross-origin isolated: the meters read the engine with messages (a little more work for the audio thread).';
if (!isSecureContext) {
  // Served over plain http from another address than localhost: no AudioWorklet, in any browser.
  ui.nowPlaying.textContent = `This page is not a secure context (plain http from ${location.host}), and browsers run AudioWorklets, which the upmixer needs, only on https pages and localhost: open http://localhost:${location.port}/ on the machine that serves it, or serve it over https.`;
}
ui.playExample.addEventListener('click', () => playExample().catch(report));
ui.playStereoExample.addEventListener('click', () => playExample(STEREO_EXAMPLE_URL, 'hard-panned-stereo').catch(report));
ui.stop.addEventListener('click', stop);
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  // Cleared, so that picking the same file again (after Stop, or after editing it) fires another change.
  ui.file.value = '';
  if (file) playFile(file).catch(report);
});
for (const type of ['dragenter', 'dragover'] as const) {
  ui.drop.addEventListener(type, (event) => {
    event.preventDefault();
    ui.drop.classList.add('over');
  });
}
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) playFile(file).catch(report);
});
ui.headphones.addEventListener('change', () => (ui.microphone.disabled = !ui.headphones.checked));
ui.microphone.addEventListener('click', () => startMicrophone().catch(report));
ui.levelMatch.addEventListener('change', () => session?.matcher.setEnabled(ui.levelMatch.checked));
ui.render.addEventListener('click', () => void renderAndDownload());
ui.cancelRender.addEventListener('click', () => {
  rendering?.abort();
  updateRender();
});
showLatencies().catch((error: unknown) => {
  console.error(error);
  const row = document.createElement('tr');
  const cell = document.createElement('td');
  cell.colSpan = 4;
  cell.textContent = `could not measure: ${error instanceof Error ? error.message : String(error)}`;
  row.append(cell);
  ui.latency.replaceChildren(row);
});

/** For automated checks (test/demo): the output's levels over the last ~90 ms. */
function measureOutput(): { rmsLeft: number; rmsRight: number; rmsDifference: number; finite: boolean } | null {
  if (!session) return null;
  const [a, b] = session.outputAnalysers;
  const left = new Float32Array(a.fftSize);
  const right = new Float32Array(b.fftSize);
  a.getFloatTimeDomainData(left);
  b.getFloatTimeDomainData(right);
  let ll = 0;
  let rr = 0;
  let dd = 0;
  let finite = true;
  for (let i = 0; i < left.length; i++) {
    if (!Number.isFinite(left[i]) || !Number.isFinite(right[i])) finite = false;
    ll += left[i] * left[i];
    rr += right[i] * right[i];
    dd += (left[i] - right[i]) ** 2;
  }
  const n = left.length;
  return { rmsLeft: Math.sqrt(ll / n), rmsRight: Math.sqrt(rr / n), rmsDifference: Math.sqrt(dd / n), finite };
}

Object.assign(window, {
  demo: {
    measureOutput,
    get node() {
      return session?.node ?? null;
    },
    get context() {
      return session?.context ?? null;
    },
    /** The warning lines of the playing file's channel check, once it has run. */
    get channelCheck() {
      return channelCheck;
    },
  },
});
