// A TWS API server whose every answer a test scripts, for the failures the simulator does not model
// (garbage bytes, a refused version, a silent socket, a malformed reject, data permissions). It speaks
// the real framing with the simulator's codec, so the client on the other end is the unmodified
// @stoqey/ib over TCP on 127.0.0.1 (port 0).
import net from 'node:net';
import { FrameDecoder, encodeFrame } from '../../../../src/sim/protocol/framing.ts';
import { decodeRequest } from '../../../../src/sim/protocol/decode-requests.ts';
import type { ClientRequest } from '../../../../src/sim/protocol/decode-requests.ts';
import * as enc from '../../../../src/sim/protocol/encode-responses.ts';

export const SCRIPTED_ACCOUNT = 'DU7654321';
export const SCRIPTED_VERSION = 178;

export interface GatewayConn {
  readonly index: number;
  send(fields: readonly string[]): void;
  sendRaw(bytes: Buffer): void;
  destroy(): void;
}

export interface ScriptedGatewayOptions {
  /** The server hello: version and time text; null closes right after the client's version string. */
  readonly hello?: { readonly version: number } | null;
  /** Sends managedAccounts and nextValidId after startApi (default true). */
  readonly completeHandshake?: boolean;
  /** Answers reqCurrentTime (default true) unless the connection is muted. */
  readonly answerCurrentTime?: boolean;
  /** Every request after startApi (reqCurrentTime too, before the default answer). */
  readonly onRequest?: (req: ClientRequest, conn: GatewayConn) => void;
}

export interface ScriptedGateway {
  readonly port: number;
  readonly requests: {
    readonly conn: number;
    readonly req: ClientRequest;
    readonly fields: readonly string[];
  }[];
  connections(): number;
  /** Sends a message on every open connection (pushes such as IB's 1100/1101/1102 notices). */
  broadcast(fields: readonly string[]): void;
  /** The connections open now stop answering anything (zombie sockets); later ones answer. */
  mute(): void;
  /** Resolves once a request of this type arrived (at or after index `since` of `requests`). */
  waitForRequest(type: ClientRequest['type'], since?: number): Promise<ClientRequest>;
  close(): Promise<void>;
}

export async function startScriptedGateway(opts: ScriptedGatewayOptions = {}): Promise<ScriptedGateway> {
  const requests: { conn: number; req: ClientRequest; fields: readonly string[] }[] = [];
  const sockets = new Set<net.Socket>();
  const conns = new Map<number, GatewayConn>();
  const waiters = new Set<() => void>();
  const muted = new Set<number>();
  const open = new Set<number>();
  let count = 0;
  const server = net.createServer((socket) => {
    const index = ++count;
    sockets.add(socket);
    open.add(index);
    socket.on('close', () => {
      sockets.delete(socket);
      open.delete(index);
      conns.delete(index);
    });
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder({ expectHandshake: true });
    const conn: GatewayConn = {
      index,
      send: (fields) => {
        if (!socket.destroyed) socket.write(encodeFrame(fields));
      },
      sendRaw: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      destroy: () => socket.destroy(),
    };
    conns.set(index, conn);
    socket.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind === 'error') {
          socket.destroy();
          return;
        }
        if (item.kind === 'handshake') {
          const hello = opts.hello === undefined ? { version: SCRIPTED_VERSION } : opts.hello;
          if (hello === null) {
            socket.destroy();
            return;
          }
          conn.send(enc.serverHello(hello.version, '20250110 10:00:00 EST'));
          continue;
        }
        const d = decodeRequest(item.fields, SCRIPTED_VERSION);
        if (!d.ok) continue;
        const req = d.request;
        if (req.type === 'startApi') {
          if (opts.completeHandshake !== false) {
            conn.send(enc.managedAccounts([SCRIPTED_ACCOUNT]));
            conn.send(enc.nextValidId(1));
          }
          continue;
        }
        requests.push({ conn: index, req, fields: item.fields });
        for (const w of [...waiters]) w();
        if (muted.has(index)) continue;
        opts.onRequest?.(req, conn);
        if (req.type === 'reqCurrentTime' && opts.answerCurrentTime !== false)
          conn.send(enc.currentTime(1_736_521_200));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    requests,
    connections: () => count,
    broadcast: (fields) => {
      for (const c of conns.values()) c.send(fields);
    },
    mute: () => {
      for (const i of open) muted.add(i);
    },
    waitForRequest(type, since = 0) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = requests.slice(since).find((r) => r.req.type === type);
          if (hit === undefined) return false;
          clearTimeout(timer);
          waiters.delete(probe);
          resolve(hit.req);
          return true;
        };
        const probe = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(probe);
          reject(new Error(`no ${type} request arrived`));
        }, 10_000);
        waiters.add(probe);
        check();
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { enc };
