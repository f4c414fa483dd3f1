#!/bin/sh
# Makes test/fixtures/audio/tone-440-mp2.mp2, the MPEG layer II stream of the MPEG-in-WAV test
# (test/cli/cli-archive-inputs.test.ts): a 440 Hz tone at 0.25, 0.5 s mono at 32 kHz, 64 kbit/s, encoded
# with twolame (Debian: apt-get install twolame). The file is committed; run this only to remake it.
set -e
out="$(dirname "$0")/../test/fixtures/audio/tone-440-mp2.mp2"
node -e '
const frames = 16000, pcm = Buffer.alloc(2 * frames);
for (let i = 0; i < frames; i++) pcm.writeInt16LE(Math.round(0.25 * 32767 * Math.sin(2 * Math.PI * 440 * i / 32000)), 2 * i);
process.stdout.write(pcm);
' | twolame --quiet -r -s 32000 -N 1 -m m -b 64 - "$out"
ls -l "$out"
