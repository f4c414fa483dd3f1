/**
 * The links of a chained Ogg file (streams one after another, as radio recordings and `cat` make them),
 * told from its page headers as the bytes go by. The Vorbis and Opus decoders do not follow a link that
 * changes the channels (Vorbis decodes it as noise) and Opus drops every link after the first, so the
 * source checks each new link against the first before the decoder sees it.
 * @packageDocumentation
 */

/** Bytes of an Ogg page header before its segment table. */
const PAGE_HEADER_BYTES = 27;
/** Bytes kept of the start of a link's first packet: enough for the Vorbis or Opus identification header. */
const IDENT_BYTES = 19;

/** What a link's identification header declares. */
export interface OggLink {
  /** The codec's name in its identification header: `vorbis` or `OpusHead`, else undefined. */
  readonly codec: 'vorbis' | 'opus' | undefined;
  readonly channelCount: number;
  readonly sampleRate: number;
}

function linkOf(ident: Uint8Array): OggLink {
  const ascii = (at: number, length: number): string => String.fromCharCode(...ident.subarray(at, at + length));
  const view = new DataView(ident.buffer, ident.byteOffset, ident.byteLength);
  if (ident.byteLength >= 16 && ascii(0, 7) === '\x01vorbis') return { codec: 'vorbis', channelCount: ident[11], sampleRate: view.getUint32(12, true) };
  if (ident.byteLength >= 16 && ascii(0, 8) === 'OpusHead') return { codec: 'opus', channelCount: ident[9], sampleRate: view.getUint32(12, true) };
  return { codec: undefined, channelCount: 0, sampleRate: 0 };
}

/** Follows an Ogg stream's pages across the blocks it arrives in, and lists its links. */
export class OggLinks {
  /** The first stream's identification, then each link chained after it. */
  readonly links: OggLink[] = [];
  private readonly header = new Uint8Array(PAGE_HEADER_BYTES + 255);
  private headerFill = 0;
  private bodyLeft = 0;
  private ident: number[] | undefined;
  private seenDataPage = false;
  /** False once the bytes stop looking like Ogg pages (damage): the decoder is left to cope. */
  private inSync = true;

  /** Takes the next bytes of the stream. */
  feed(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.byteLength && this.inSync) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, bytes.byteLength - at);
        if (this.ident && this.ident.length < IDENT_BYTES) this.ident.push(...bytes.subarray(at, at + Math.min(take, IDENT_BYTES - this.ident.length)));
        at += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.endPage();
        continue;
      }
      const need = this.headerFill < PAGE_HEADER_BYTES ? PAGE_HEADER_BYTES : PAGE_HEADER_BYTES + this.header[26];
      const take = Math.min(need - this.headerFill, bytes.byteLength - at);
      this.header.set(bytes.subarray(at, at + take), this.headerFill);
      this.headerFill += take;
      at += take;
      if (this.headerFill === PAGE_HEADER_BYTES && String.fromCharCode(...this.header.subarray(0, 4)) !== 'OggS') this.inSync = false;
      else if (this.headerFill >= PAGE_HEADER_BYTES && this.headerFill === PAGE_HEADER_BYTES + this.header[26]) this.startPage();
    }
  }

  private startPage(): void {
    const segments = this.header[26];
    let bodyBytes = 0;
    for (let i = 0; i < segments; i++) bodyBytes += this.header[PAGE_HEADER_BYTES + i];
    // The first page of a stream (flag 2): its first packet is the codec's identification header. A
    // stream that begins after data pages is a chained link; the ones at the very start are the first.
    const beginsStream = (this.header[5] & 0x02) !== 0;
    this.ident = beginsStream && (this.links.length === 0 || this.seenDataPage) ? [] : undefined;
    if (!beginsStream) this.seenDataPage = true;
    this.headerFill = 0;
    this.bodyLeft = bodyBytes;
    if (bodyBytes === 0) this.endPage();
  }

  private endPage(): void {
    if (this.ident) this.links.push(linkOf(Uint8Array.from(this.ident)));
    this.ident = undefined;
  }
}
