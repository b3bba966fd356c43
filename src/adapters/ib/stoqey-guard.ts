// Guards for @stoqey/ib 1.6.10's decoder (pinned exactly; docs/ib-notes.md §4). stoqey JSON.parses an
// error's advancedOrderRejectJson outside its own error handling, so one malformed reject throws out of
// the socket's data handler and kills Node. The guard decodes error messages itself, the same fields
// in the same order, keeping IB's id, code and text and dropping only the unreadable JSON; any other
// exception out of the decoder is contained too (the rest of that message is skipped) and reported.
import type { IBApi } from '@stoqey/ib/dist/api/api.js';
import { ErrorCode } from '@stoqey/ib/dist/common/errorCode.js';
import { IN_MSG_ID } from '@stoqey/ib/dist/core/io/enum/in-msg-id.js';

/** stoqey's MIN_SERVER_VER.ENCODE_MSG_ASCII7 and ADVANCED_ORDER_REJECT (1.6.10). */
const ENCODE_MSG_ASCII7 = 153;
const ADVANCED_ORDER_REJECT = 166;

/** The decoder internals the guard relies on (stable because the package is pinned). */
interface DecoderInternals {
  readonly serverVersion: number;
  readonly callback: {
    emitError(message: string, code: number, reqId?: number, advancedOrderReject?: unknown): void;
    emitInfo(message: string, code: number): void;
  };
  readInt(): number;
  readStr(): string;
  decodeUnicodeEscapedString(s: string): string;
  drainQueue(): void;
  emitQueue: unknown[];
  processMsg(msgId: number): void;
  process(): void;
}

export interface ContainedFault {
  readonly what: 'malformed-reject-json' | 'decoder-exception';
  readonly detail: string;
}

function decoderOf(api: IBApi): DecoderInternals {
  const controller = (api as unknown as { controller?: { decoder?: DecoderInternals } }).controller;
  const decoder = controller?.decoder;
  if (
    decoder === undefined ||
    typeof decoder.processMsg !== 'function' ||
    typeof decoder.process !== 'function'
  )
    throw new Error(
      '@stoqey/ib internals changed: the decoder guard cannot be installed (check the pinned version)',
    );
  return decoder;
}

/** Installs the guards on one IBApi instance; `onFault` hears about everything contained. */
export function guardStoqeyDecoder(api: IBApi, onFault: (f: ContainedFault) => void): void {
  const d = decoderOf(api);
  const processMsg = d.processMsg.bind(d);
  d.processMsg = (msgId: number): void => {
    if (msgId === Number(IN_MSG_ID.ERR_MSG)) decodeErrorMessage(d, onFault);
    else processMsg(msgId);
  };
  const process = d.process.bind(d);
  d.process = (): void => {
    for (;;) {
      try {
        process();
        return;
      } catch (e) {
        // Skip the rest of the message that threw, then go on with the ones after it.
        d.drainQueue();
        d.emitQueue = [];
        onFault({ what: 'decoder-exception', detail: e instanceof Error ? e.message : String(e) });
      }
    }
  };
}

/** stoqey's decodeMsg_ERR_MSG with the JSON parse contained. */
function decodeErrorMessage(d: DecoderInternals, onFault: (f: ContainedFault) => void): void {
  const version = d.readInt();
  if (version < 2) {
    d.callback.emitError(d.readStr(), ErrorCode.UNKNOWN_ID);
    return;
  }
  const id = d.readInt();
  const code = d.readInt();
  let msg = d.readStr();
  if (d.serverVersion >= ENCODE_MSG_ASCII7) msg = d.decodeUnicodeEscapedString(msg);
  let advancedOrderReject: unknown;
  if (d.serverVersion >= ADVANCED_ORDER_REJECT) {
    const json = d.readStr();
    if (json.length > 0) {
      try {
        advancedOrderReject = JSON.parse(d.decodeUnicodeEscapedString(json)) as unknown;
      } catch (e) {
        onFault({
          what: 'malformed-reject-json',
          detail: `error ${code} for id ${id}: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
  }
  if (id === Number(ErrorCode.NO_VALID_ID)) d.callback.emitInfo(msg, code);
  else d.callback.emitError(msg, code, id, advancedOrderReject);
}
