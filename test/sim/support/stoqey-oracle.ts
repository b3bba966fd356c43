// In-process oracle: @stoqey/ib 1.6.10's own decoder and encoder (deep imports), to check that every
// message the simulator encodes decodes cleanly at a given server version, and that the simulator
// decodes exactly what stoqey encodes.
import { Decoder } from '@stoqey/ib/dist/core/io/decoder.js';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder.js';

export interface OracleEvent {
  readonly name: string;
  readonly args: readonly unknown[];
}

export interface OracleResult {
  readonly events: readonly OracleEvent[];
  /** Errors the decoder raised itself (505 = underrun / unprocessed data). */
  readonly errors: readonly {
    readonly message: string;
    readonly code: number;
    readonly reqId: number | undefined;
  }[];
  readonly infos: readonly { readonly message: string; readonly code: number }[];
}

/** Decodes one message's fields exactly as stoqey's socket hands them to its decoder. */
export function decodeWithStoqey(serverVersion: number, fields: readonly string[]): OracleResult {
  const events: OracleEvent[] = [];
  const errors: { message: string; code: number; reqId: number | undefined }[] = [];
  const infos: { message: string; code: number }[] = [];
  const decoder = new Decoder({
    serverVersion,
    emitEvent: (name: string, ...args: unknown[]) => {
      events.push({ name, args });
    },
    emitError: (message: string, code: number, reqId?: number) => {
      errors.push({ message, code, reqId });
    },
    emitInfo: (message: string, code: number) => {
      infos.push({ message, code });
    },
  });
  decoder.enqueueMessage([...fields]);
  decoder.process();
  return { events, errors, infos };
}

/** Runs stoqey's encoder and returns each message's fields as they would go on the wire. */
export function encodeWithStoqey(serverVersion: number, run: (encoder: Encoder) => void): string[][] {
  const out: string[][] = [];
  const encoder = new Encoder({
    serverVersion,
    sendMsg: (...tokens: unknown[]) => {
      out.push(flatten(tokens).map(tokenText));
    },
    emitError: (message: string) => {
      throw new Error(`stoqey encoder refused: ${message}`);
    },
    emitEvent: () => undefined,
    emitInfo: () => undefined,
  } as unknown as ConstructorParameters<typeof Encoder>[0]);
  run(encoder);
  return out;
}

function flatten(v: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (Array.isArray(x)) out.push(...flatten(x as unknown[]));
    else out.push(x);
  }
  return out;
}

/** Socket.send: booleans → 1/0, then Array.join (undefined/null → ""). */
function tokenText(x: unknown): string {
  if (x === true) return '1';
  if (x === false) return '0';
  if (x === undefined || x === null) return '';
  if (typeof x === 'number' || typeof x === 'string') return String(x);
  // Array.join stringifies anything else as Object.prototype.toString does.
  return Object.prototype.toString.call(x);
}
