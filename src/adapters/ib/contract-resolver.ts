// Contracts to IB conIds and back, through reqContractDetails, with a cache (a listed contract's
// conId never changes). Options resolve a whole series (class + expiry) per request; a BAG is built
// only from resolved leg conIds; reports map the leg conIds IB sends back to ironvix's contracts.
import type { Contract, ContractDetails } from '@stoqey/ib';
import { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
import type { IndexSymbol, IsoDate, OptionContract } from '../../domain/instruments.ts';
import { contractKey } from '../../domain/instruments.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { BrokerResult } from '../../ports/broker.ts';
import type { Logger } from '../../ports/logger.ts';
import { isoFromIb, optionFromIb } from './from-ib.ts';
import type { IbConnection } from './ib-connection.ts';
import type { RequestRegistry } from './request-registry.ts';
import { conIdToIb, indexToIb, optionSeriesToIb, optionToIb, vxFuturesToIb } from './to-ib.ts';

/** IB's "no security definition has been found". */
const NO_SECURITY_DEFINITION = 200;

export interface ListedFuture {
  readonly conId: number;
  readonly expiry: IsoDate;
  readonly localSymbol: string;
}

/** A listed option: its conId, or why none is known. */
export type OptionResolution = Result<number, { readonly code: number; readonly text: string }>;

export class ContractResolver {
  private readonly optionConIds = new Map<string, number>();
  private readonly optionsByConId = new Map<number, OptionContract>();
  private readonly indexConIds = new Map<IndexSymbol, number>();
  private readonly accumulators = new Map<number, ContractDetails[]>();
  private readonly seriesInFlight = new Map<string, Promise<BrokerResult<readonly ContractDetails[]>>>();
  private readonly log: Logger;

  constructor(
    private readonly conn: IbConnection,
    private readonly registry: RequestRegistry,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'ib-contracts' });
    conn.bind((on) => {
      on(EventName.contractDetails, (reqId: number, details: ContractDetails) => {
        this.accumulators.get(reqId)?.push(details);
      });
      on(EventName.contractDetailsEnd, (reqId: number) => {
        const acc = this.accumulators.get(reqId);
        if (acc !== undefined) this.registry.get<readonly ContractDetails[]>(reqId)?.finish(acc);
      });
    });
  }

  /** reqContractDetails: every contract matching `query`. */
  async details(query: Contract, what: string): Promise<BrokerResult<readonly ContractDetails[]>> {
    const req = this.registry.open<readonly ContractDetails[]>({
      what: `contract details for ${what}`,
      timeoutMs: this.conn.timeouts.requestMs,
      onSettled: () => this.accumulators.delete(req.reqId),
    });
    this.accumulators.set(req.reqId, []);
    const sent = await this.conn.send('data', (api) => api.reqContractDetails(req.reqId, query));
    if (!sent)
      req.fail({ kind: 'disconnected', text: `contract details for ${what}: not connected to the gateway` });
    const r = await req.promise;
    if (r.ok) for (const d of r.value) this.remember(d.contract);
    return r;
  }

  /** The option a conId names, when this session has seen it. */
  optionOf(conId: number): OptionContract | null {
    return this.optionsByConId.get(conId) ?? null;
  }

  /** The conId of a listed option, when already resolved. */
  cachedConId(c: OptionContract): number | null {
    return this.optionConIds.get(optionKey(c)) ?? null;
  }

  /**
   * Resolves options, one request per series. The answer maps each contract's key (see optionKey)
   * to its conId or to IB's reason it is not listed; failures of the link itself are an error.
   */
  async resolveOptions(
    contracts: readonly OptionContract[],
  ): Promise<BrokerResult<ReadonlyMap<string, OptionResolution>>> {
    const out = new Map<string, OptionResolution>();
    const missing = new Map<string, OptionContract[]>();
    for (const c of contracts) {
      const key = optionKey(c);
      const known = this.optionConIds.get(key);
      if (known !== undefined) {
        out.set(key, ok(known));
        continue;
      }
      const series = `${c.symbol}|${c.tradingClass}|${c.expiry}|${c.multiplier}`;
      missing.set(series, [...(missing.get(series) ?? []), c]);
    }
    for (const group of missing.values()) {
      const first = group[0];
      if (first === undefined) continue;
      const r = await this.loadSeries(first);
      if (!r.ok) {
        if (r.error.kind !== 'error') return r;
        if (r.error.code !== NO_SECURITY_DEFINITION) {
          // The gateway would not list the whole series: ask for each contract instead.
          this.log.info('series request refused; resolving contracts one by one', { code: r.error.code });
          for (const c of group) {
            const one = await this.details(optionToIb(c), contractKey(c));
            if (!one.ok && one.error.kind !== 'error') return one;
          }
        }
      }
      for (const c of group) {
        const key = optionKey(c);
        const conId = this.optionConIds.get(key);
        out.set(
          key,
          conId !== undefined
            ? ok(conId)
            : err({
                code: NO_SECURITY_DEFINITION,
                text: `${contractKey(c)} is not listed (no security definition)`,
              }),
        );
      }
    }
    return ok(out);
  }

  /** The conId of an index (SPX, VIX, VIX9D, VIX3M, AD-NYSE). */
  async resolveIndex(symbol: IndexSymbol): Promise<BrokerResult<number>> {
    const known = this.indexConIds.get(symbol);
    if (known !== undefined) return ok(known);
    const r = await this.details(indexToIb(symbol), `index ${symbol}`);
    if (!r.ok) return r;
    const conId = this.indexConIds.get(symbol);
    if (conId === undefined)
      return err({
        kind: 'error',
        code: NO_SECURITY_DEFINITION,
        text: `index ${symbol}: no security definition`,
      });
    return ok(conId);
  }

  /** Listed monthly VX futures (trading class VX), nearest expiry first. */
  async vxFutures(): Promise<BrokerResult<readonly ListedFuture[]>> {
    const r = await this.details(vxFuturesToIb(), 'VX futures');
    if (!r.ok) return r;
    const out: ListedFuture[] = [];
    for (const d of r.value) {
      const c = d.contract;
      const expiry = isoFromIb(c.lastTradeDateOrContractMonth);
      const monthly = c.tradingClass === undefined || c.tradingClass === '' ? true : c.tradingClass === 'VX';
      if (c.conId === undefined || expiry === null || !monthly) continue;
      out.push({ conId: c.conId, expiry, localSymbol: c.localSymbol ?? '' });
    }
    return ok(out.sort((a, b) => a.expiry.localeCompare(b.expiry)));
  }

  /** Looks up conIds the session has not seen (legs of orders placed before a restart). */
  async learnConIds(conIds: Iterable<number>): Promise<void> {
    for (const conId of new Set(conIds)) {
      if (this.optionsByConId.has(conId) || conId <= 0) continue;
      const r = await this.details(conIdToIb(conId), `conId ${conId}`);
      if (!r.ok) this.log.warn('cannot describe a conId', { conId, error: r.error.text });
    }
  }

  private loadSeries(c: OptionContract): Promise<BrokerResult<readonly ContractDetails[]>> {
    const key = `${c.symbol}|${c.tradingClass}|${c.expiry}`;
    const running = this.seriesInFlight.get(key);
    if (running !== undefined) return running;
    const p = this.details(
      optionSeriesToIb(c.symbol, c.tradingClass, c.expiry),
      `${c.tradingClass} ${c.expiry} options`,
    ).finally(() => this.seriesInFlight.delete(key));
    this.seriesInFlight.set(key, p);
    return p;
  }

  private remember(c: Contract): void {
    if (c.conId === undefined || c.conId <= 0) return;
    const option = optionFromIb(c);
    if (option !== null) {
      this.optionConIds.set(optionKey(option), c.conId);
      this.optionsByConId.set(c.conId, option);
      return;
    }
    if (String(c.secType) === 'IND' && c.symbol !== undefined && isIndexSymbol(c.symbol))
      this.indexConIds.set(c.symbol, c.conId);
  }
}

/** Cache key of an option: contractKey plus the multiplier. */
export function optionKey(c: OptionContract): string {
  return `${contractKey(c)} x${c.multiplier}`;
}

const INDEX_SYMBOLS: ReadonlySet<string> = new Set<IndexSymbol>([
  'SPX',
  'VIX',
  'VIX9D',
  'VIX3M',
  'AD-NYSE',
  'VRO',
]);

function isIndexSymbol(s: string): s is IndexSymbol {
  return INDEX_SYMBOLS.has(s);
}
