/**
 * Debian's Chromium for the puppeteer tests (`CHROMIUM_PATH` overrides the path; `npm test` installs it),
 * the flags every launch needs on this machine, and a WAV for Chromium's fake microphone.
 */
import { writeFileSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { HANG_GUARD_MS } from './hang-guard.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * No sandbox (tests run as root), no GPU, and no background traffic: the machine has no network, and
 * Chromium's own connections would otherwise be refused many at a time.
 */
export const CHROMIUM_FLAGS: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Starts headless Chromium with {@link CHROMIUM_FLAGS} and `extra` flags. A protocol call (an `evaluate`
 * that awaits, a `waitForFunction`) may last up to HANG_GUARD_MS and a minute more: puppeteer's default
 * (180 s) would otherwise cut the tests' hang guard short.
 */
export function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...extra], protocolTimeout: HANG_GUARD_MS + 60_000 });
}

/** Flags that make getUserMedia answer at once with `wavPath` as the microphone. */
export function fakeMicrophoneFlags(wavPath: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wavPath}`];
}

/** A 16-bit mono WAV for the fake microphone: a 330 Hz tone with a little seeded noise, 4 s at 48 kHz (Chromium loops it). */
export function writeFakeMicrophone(path: string): void {
  const rate = 48_000;
  const frames = 4 * rate;
  const bytes = Buffer.alloc(44 + 2 * frames);
  bytes.write('RIFF', 0);
  bytes.writeUInt32LE(36 + 2 * frames, 4);
  bytes.write('WAVEfmt ', 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(2 * rate, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(2 * frames, 40);
  let seed = 7;
  for (let i = 0; i < frames; i++) {
    seed = (seed * 16807) % 2147483647;
    const sample = 0.4 * Math.sin((2 * Math.PI * 330 * i) / rate) + 0.1 * ((seed / 2147483647) * 2 - 1);
    bytes.writeInt16LE(Math.round(sample * 32767), 44 + 2 * i);
  }
  writeFileSync(path, bytes);
}
