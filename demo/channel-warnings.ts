/**
 * The CLI's check of a stereo input's channels (src/audio-file/channel-check.ts: a polarity-inverted,
 * dead or much quieter channel, an azimuth delay, and such faults in sections), run on a decoded file in
 * the page: the same code and the same warning lines, so a transfer whose mono sum cancels is not played
 * and exported silently. Its FFT here is fft.js's (already in the page), not PFFFT's, whose WebAssembly
 * (about 50 kB) the page's own script would otherwise carry for it. It runs after playback has started, a
 * slice at a time with the event loop let in between, so neither Play nor the page waits on it.
 * @packageDocumentation
 */
import { CHANNEL_CHECK_FFT_SIZE, ChannelCheck, channelWarnings } from '../src/audio-file/channel-check.js';
import { RealFft } from '../src/dsp/real-fft.js';

/** Seconds of audio checked per slice before the page gets the event loop back (a few ms of work). */
const SLICE_SECONDS = 10;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The warning lines for `buffer`'s two channels (none for a file of another channel count), `name` naming
 * the file in them; `stereoShare` as channelWarnings takes it (1 where the upmixer keeps a stereo file's
 * image, 0 on the mono path). Undefined when `stillWanted` turns false between slices (another file was
 * picked): the check stops there.
 */
export async function checkChannels(buffer: AudioBuffer, name: string, stereoShare: number, stillWanted: () => boolean): Promise<string[] | undefined> {
  if (buffer.numberOfChannels !== 2) return [];
  const check = new ChannelCheck(buffer.sampleRate, new RealFft(CHANNEL_CHECK_FFT_SIZE));
  const left = buffer.getChannelData(0);
  const right = buffer.getChannelData(1);
  const slice = Math.max(1, Math.round(SLICE_SECONDS * buffer.sampleRate));
  for (let start = 0; start < buffer.length; start += slice) {
    await nextTask();
    if (!stillWanted()) return undefined;
    const frames = Math.min(slice, buffer.length - start);
    check.add(left.subarray(start, start + frames), right.subarray(start, start + frames), frames);
  }
  return channelWarnings(check.finish(), name, stereoShare);
}
