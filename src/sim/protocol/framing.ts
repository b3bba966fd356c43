// TWS API framing (docs/ib-notes.md §1): the client opens with "API\0" + uint32 BE length + "v<min>..<max>"
// (no NUL); after that every message both ways is a uint32 BE length and NUL-terminated fields, the
// last one too. The decoder is incremental: bytes may arrive split anywhere or glued together.

/** Largest client frame we accept; real clients send < 4 KiB, so anything near this is garbage. */
export const DEFAULT_MAX_FRAME_BYTES = 1 << 20;
/** The version string is a few dozen bytes ("v100..193 +PACEAPI"). */
export const MAX_HANDSHAKE_BYTES = 1024;

const API_PREFIX = Buffer.from('API\0', 'latin1');
const NUL = 0;

export type InboundItem =
  | { readonly kind: 'handshake'; readonly text: string }
  /** `terminated` is false when the frame's last field had no final NUL (kept as a field, worth a warning). */
  | {
      readonly kind: 'message';
      readonly fields: readonly string[];
      readonly terminated: boolean;
      readonly bytes: number;
    }
  | { readonly kind: 'error'; readonly reason: string };

export interface FrameDecoderOptions {
  /** Server side: the first bytes must be the "API\0" handshake. */
  readonly expectHandshake: boolean;
  readonly maxFrameBytes?: number;
}

/**
 * Incremental decoder. After it reports an error it yields nothing more: the connection is beyond
 * recovery (framing is lost) and must be closed.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  /** Chunks not yet joined: a frame arriving in many pieces is copied once, when it is complete. */
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes needed before parsing can make progress. */
  private want = 1;
  private phase: 'prefix' | 'handshake' | 'frames' | 'failed';
  private readonly maxFrameBytes: number;

  constructor(opts: FrameDecoderOptions) {
    this.phase = opts.expectHandshake ? 'prefix' : 'frames';
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  get failed(): boolean {
    return this.phase === 'failed';
  }

  /** Bytes received but not yet part of a complete item. */
  get buffered(): number {
    return this.size;
  }

  /** Forgets every buffered byte (the connection is closing). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.parts = [];
    this.size = 0;
  }

  push(chunk: Buffer): InboundItem[] {
    if (this.phase === 'failed') return [];
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size < this.want) return [];
    this.buf = this.parts.length === 1 ? (this.parts[0] ?? chunk) : Buffer.concat(this.parts, this.size);
    const out: InboundItem[] = [];
    for (;;) {
      const item = this.next();
      if (item === null) break;
      out.push(item);
      if (item.kind === 'error') {
        this.phase = 'failed';
        this.buf = Buffer.alloc(0);
        break;
      }
    }
    this.parts = this.buf.length === 0 ? [] : [this.buf];
    this.size = this.buf.length;
    this.want = this.bytesWanted();
    return out;
  }

  private bytesWanted(): number {
    const header = this.buf.length >= 4 ? this.buf.readUInt32BE(0) : null;
    switch (this.phase) {
      case 'prefix':
        return this.buf.length + 1;
      case 'handshake':
        return header === null || header === 0 || header > MAX_HANDSHAKE_BYTES ? 4 : 4 + header;
      case 'frames':
        return header === null || header > this.maxFrameBytes ? 4 : 4 + header;
      case 'failed':
        return Infinity;
    }
  }

  private next(): InboundItem | null {
    switch (this.phase) {
      case 'prefix': {
        const n = Math.min(this.buf.length, API_PREFIX.length);
        if (!this.buf.subarray(0, n).equals(API_PREFIX.subarray(0, n))) {
          return { kind: 'error', reason: `bad handshake: expected "API\\0", got ${hexPreview(this.buf)}` };
        }
        if (n < API_PREFIX.length) return null;
        this.buf = this.buf.subarray(API_PREFIX.length);
        this.phase = 'handshake';
        return this.next();
      }
      case 'handshake': {
        if (this.buf.length < 4) return null;
        const len = this.buf.readUInt32BE(0);
        if (len === 0 || len > MAX_HANDSHAKE_BYTES) {
          return { kind: 'error', reason: `bad handshake: version string length ${len}` };
        }
        if (this.buf.length < 4 + len) return null;
        const text = this.buf.subarray(4, 4 + len).toString('utf8');
        this.buf = this.buf.subarray(4 + len);
        this.phase = 'frames';
        return { kind: 'handshake', text };
      }
      case 'frames': {
        if (this.buf.length < 4) return null;
        const len = this.buf.readUInt32BE(0);
        if (len > this.maxFrameBytes) {
          return {
            kind: 'error',
            reason: `frame length ${len} exceeds the limit of ${this.maxFrameBytes} bytes`,
          };
        }
        if (this.buf.length < 4 + len) return null;
        const body = this.buf.subarray(4, 4 + len);
        this.buf = this.buf.subarray(4 + len);
        const { fields, terminated } = splitFields(body);
        return { kind: 'message', fields, terminated, bytes: len };
      }
      case 'failed':
        return null;
    }
  }
}

/** Splits a frame body on NUL. A last field without its NUL is kept and flagged. */
export function splitFields(body: Buffer): { fields: string[]; terminated: boolean } {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === NUL) {
      fields.push(body.toString('utf8', start, i));
      start = i + 1;
    }
  }
  const terminated = start === body.length;
  if (!terminated) fields.push(body.toString('utf8', start));
  return { fields, terminated };
}

/** One frame: length prefix, then each field followed by NUL (the last one too). */
export function encodeFrame(fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  let len = 0;
  for (const f of fields) {
    if (f.includes('\0')) throw new Error(`field contains NUL: ${JSON.stringify(f)}`);
    const b = Buffer.from(f, 'utf8');
    parts.push(b, NUL_BYTE);
    len += b.length + 1;
  }
  const header = Buffer.alloc(4);
  header.writeUInt32BE(len, 0);
  return Buffer.concat([header, ...parts], 4 + len);
}

const NUL_BYTE = Buffer.from([NUL]);

/** What a client sends first (used by tests and by any client-side code). */
export function encodeHandshake(versionText: string): Buffer {
  const text = Buffer.from(versionText, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(text.length, 0);
  return Buffer.concat([API_PREFIX, header, text]);
}

function hexPreview(b: Buffer): string {
  const head = b.subarray(0, 8).toString('hex');
  return b.length > 8 ? `${head}…` : head;
}
