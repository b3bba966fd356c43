// MarketDataQuery over an IB gateway: server time, index quotes (AD-NYSE included), option chain
// definitions (reqSecDefOptParams), option quotes as snapshot requests (each holding one market data
// line while it runs; the underlying price comes from tickOptionComputation's undPrice only), VX
// futures, daily closes (reqHistoricalData, paced) and the account. A data permission IB refuses
// (354, 10089, 10090, 10167, ...) becomes an error naming the data that is missing.
import type { Contract } from '@stoqey/ib';
import { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
import { BarSizeSetting } from '@stoqey/ib/dist/api/historical/bar-size-setting.js';
import { WhatToShow } from '@stoqey/ib/dist/api/historical/what-to-show.js';
import { DateTime } from 'luxon';
import type { IndexSymbol, IsoDate, OptionContract } from '../../domain/instruments.ts';
import { contractKey } from '../../domain/instruments.ts';
import { err, ok } from '../../domain/result.ts';
import type { AccountReport, BrokerFailure, BrokerResult } from '../../ports/broker.ts';
import type {
  DailyClose,
  FutureQuote,
  IndexQuote,
  MarketDataQuery,
  OptionChainDefinition,
  OptionMarketQuote,
} from '../../ports/market-data.ts';
import { optionKey } from './contract-resolver.ts';
import { ibNumber, isoFromIb, priceCentsFromIb, quotePriceFromIb } from './from-ib.ts';
import { MARKET_DATA_PERMISSION_CODES, ibCodeMeaning } from './ib-codes.ts';
import type { IbClient } from './ib-client.ts';
import type { ErrorDecision } from './request-registry.ts';
import { historicalDuration, historicalEndDateTime, indexToIb, optionToIb } from './to-ib.ts';

const NY = 'America/New_York';

/** What one snapshot collected. */
interface Ticks {
  bid: number | null;
  ask: number | null;
  last: number | null;
  close: number | null;
  undPrice: number | null;
}

/** Live and delayed tick type ids (docs/ib-notes.md §2 "Tick types"). */
const BID = new Set([1, 66]);
const ASK = new Set([2, 67]);
const LAST = new Set([4, 68]);
const CLOSE = new Set([9, 75]);
const OPTION_COMPUTATION = new Set([10, 11, 12, 13, 80, 81, 82, 83]);

interface ChainParams {
  exchange: string;
  tradingClass: string;
  multiplier: number;
  expirations: readonly string[];
  strikes: readonly number[];
}

interface Bar {
  readonly date: string;
  readonly close: number;
}

export class IbMarketData implements MarketDataQuery {
  private readonly ticks = new Map<number, Ticks>();
  private readonly chains = new Map<number, ChainParams[]>();
  private readonly bars = new Map<number, Bar[]>();

  constructor(private readonly client: IbClient) {
    client.conn.bind((on) => {
      on(EventName.tickPrice, (reqId: number, field: number, value: number) => {
        const t = this.ticks.get(reqId);
        if (t === undefined) return;
        if (BID.has(field)) t.bid = quotePriceFromIb(value, 'bid');
        else if (ASK.has(field)) t.ask = quotePriceFromIb(value, 'ask');
        else if (LAST.has(field)) t.last = quotePriceFromIb(value, 'last');
        else if (CLOSE.has(field)) t.close = quotePriceFromIb(value, 'last');
      });
      on(
        EventName.tickOptionComputation,
        (
          reqId: number,
          field: number,
          _attrib: number | undefined,
          _iv?: number,
          _delta?: number,
          _optPrice?: number,
          _pvDividend?: number,
          _gamma?: number,
          _vega?: number,
          _theta?: number,
          undPrice?: number,
        ) => {
          const t = this.ticks.get(reqId);
          const und = ibNumber(undPrice);
          if (t !== undefined && OPTION_COMPUTATION.has(field) && und !== null && und > 0) t.undPrice = und;
        },
      );
      on(EventName.tickSnapshotEnd, (reqId: number) => {
        const t = this.ticks.get(reqId);
        if (t !== undefined) this.client.registry.get<Ticks>(reqId)?.finish({ ...t });
      });
      on(
        EventName.securityDefinitionOptionParameter,
        (
          reqId: number,
          exchange: string,
          _underlyingConId: number,
          tradingClass: string,
          multiplier: string,
          expirations: string[],
          strikes: number[],
        ) => {
          this.chains.get(reqId)?.push({
            exchange,
            tradingClass,
            multiplier: Number(multiplier),
            expirations,
            strikes,
          });
        },
      );
      on(EventName.securityDefinitionOptionParameterEnd, (reqId: number) => {
        const acc = this.chains.get(reqId);
        if (acc !== undefined) this.client.registry.get<ChainParams[]>(reqId)?.finish(acc);
      });
      on(
        EventName.historicalData,
        (reqId: number, date: string, _open: number, _high: number, _low: number, close: number) => {
          const acc = this.bars.get(reqId);
          if (acc === undefined) return;
          if (date.startsWith('finished')) this.client.registry.get<Bar[]>(reqId)?.finish(acc);
          else acc.push({ date, close });
        },
      );
    });
  }

  get name(): string {
    const e = this.client.conn.endpoint;
    return `ib ${e.host}:${e.port}`;
  }

  serverTimeMs(): Promise<BrokerResult<number>> {
    return this.client.conn.serverTimeMs();
  }

  async indexQuotes(symbols: readonly IndexSymbol[]): Promise<BrokerResult<readonly IndexQuote[]>> {
    const answers = await Promise.all(
      symbols.map(async (symbol): Promise<BrokerResult<IndexQuote>> => {
        const conId = await this.client.resolver.resolveIndex(symbol);
        if (!conId.ok) return conId;
        const t = await this.snapshot(indexToIb(symbol, conId.value), `index ${symbol}`);
        if (!t.ok) return t;
        return ok({
          symbol,
          last: t.value.last,
          bid: t.value.bid,
          ask: t.value.ask,
          close: t.value.close,
          timeMs: null,
        });
      }),
    );
    return all(answers);
  }

  async optionChains(symbol: 'SPX' | 'VIX'): Promise<BrokerResult<readonly OptionChainDefinition[]>> {
    const underlying = await this.client.resolver.resolveIndex(symbol);
    if (!underlying.ok) return underlying;
    const req = this.client.registry.open<ChainParams[]>({
      what: `option chains of ${symbol}`,
      timeoutMs: this.client.conn.timeouts.requestMs,
      onSettled: () => this.chains.delete(req.reqId),
    });
    this.chains.set(req.reqId, []);
    const sent = await this.client.conn.send('data', (api) =>
      api.reqSecDefOptParams(req.reqId, symbol, '', 'IND', underlying.value),
    );
    if (!sent) req.fail(notConnected(`option chains of ${symbol}`));
    const r = await req.promise;
    if (!r.ok) return r;
    const wanted: readonly string[] = symbol === 'SPX' ? ['SPXW'] : ['VIX', 'VIXW'];
    const out: OptionChainDefinition[] = [];
    for (const tradingClass of wanted) {
      const rows = r.value.filter((p) => p.tradingClass === tradingClass);
      // Every exchange lists the same series; prefer SMART, which is where ironvix routes.
      const row =
        rows.find((p) => p.exchange === 'SMART') ?? rows.find((p) => p.exchange === 'CBOE') ?? rows[0];
      if (row === undefined) continue;
      const expirations = [
        ...new Set(row.expirations.map((e) => isoFromIb(e)).filter((e): e is IsoDate => e !== null)),
      ].sort();
      const strikes = [...new Set(row.strikes.filter((s) => Number.isFinite(s) && s > 0))].sort(
        (a, b) => a - b,
      );
      out.push({
        symbol,
        tradingClass: tradingClass as OptionChainDefinition['tradingClass'],
        exchange: row.exchange,
        multiplier: Number.isFinite(row.multiplier) && row.multiplier > 0 ? row.multiplier : 100,
        expirations,
        strikes,
      });
    }
    return ok(out);
  }

  async optionQuotes(
    contracts: readonly OptionContract[],
  ): Promise<BrokerResult<readonly OptionMarketQuote[]>> {
    if (contracts.length === 0) return ok([]);
    const resolved = await this.client.resolver.resolveOptions(contracts);
    if (!resolved.ok) return resolved;
    const listed: { contract: OptionContract; conId: number }[] = [];
    for (const c of contracts) {
      const r = resolved.value.get(optionKey(c));
      if (r?.ok === true) listed.push({ contract: c, conId: r.value });
    }
    const answers = await Promise.all(
      listed.map(async ({ contract, conId }): Promise<BrokerResult<OptionMarketQuote>> => {
        const t = await this.snapshot(optionToIb(contract, conId), contractKey(contract));
        if (!t.ok) return t;
        return ok({
          contract,
          conId,
          bid: t.value.bid === null ? null : priceCentsFromIb(t.value.bid),
          ask: t.value.ask === null ? null : priceCentsFromIb(t.value.ask),
          underlyingPrice: t.value.undPrice,
          timeMs: null,
        });
      }),
    );
    const quotes = all(answers);
    if (!quotes.ok) return quotes;
    if (quotes.value.length > 0 && quotes.value.every((q) => q.bid === null && q.ask === null)) {
      return err({
        kind: 'error',
        code: 0,
        text: `no bid or ask for any of the ${quotes.value.length} options asked (${describeSeries(listed.map((l) => l.contract))}): the market may be closed or quotes for them are not subscribed`,
      });
    }
    return quotes;
  }

  async vxFutures(): Promise<BrokerResult<readonly FutureQuote[]>> {
    const listed = await this.client.resolver.vxFutures();
    if (!listed.ok) return listed;
    const answers = await Promise.all(
      listed.value.map(async (f): Promise<BrokerResult<FutureQuote>> => {
        const t = await this.snapshot(
          { conId: f.conId, exchange: 'CFE' },
          `VX future ${f.localSymbol || f.expiry}`,
        );
        if (!t.ok) return t;
        return ok({
          symbol: 'VIX',
          expiry: f.expiry,
          last: t.value.last,
          bid: t.value.bid,
          ask: t.value.ask,
          close: t.value.close,
          timeMs: null,
        });
      }),
    );
    return all(answers);
  }

  async dailyCloses(
    symbol: IndexSymbol,
    endDate: IsoDate,
    sessions: number,
  ): Promise<BrokerResult<readonly DailyClose[]>> {
    if (!Number.isInteger(sessions) || sessions <= 0) return ok([]);
    const conId = await this.client.resolver.resolveIndex(symbol);
    if (!conId.ok) return conId;
    const now = await this.client.conn.serverTimeMs();
    if (!now.ok) return now;
    const today = DateTime.fromMillis(now.value, { zone: NY }).toISODate() ?? endDate;
    const what = `daily closes of ${symbol}`;
    const end = historicalEndDateTime(endDate, today);
    const duration = historicalDuration(sessions);
    const req = this.client.registry.open<Bar[]>({
      what,
      timeoutMs: this.client.conn.timeouts.historicalMs,
      onError: (code, text, cls) => this.dataError(what, code, text, cls),
      onSettled: () => this.bars.delete(req.reqId),
      onTimeout: () => void this.client.conn.send('data', (api) => api.cancelHistoricalData(req.reqId)),
    });
    this.bars.set(req.reqId, []);
    const contract = indexToIb(symbol, conId.value);
    const identical = [conId.value, end, duration, '1 day', 'TRADES', 1].join('|');
    const sent = await this.client.conn.sendHistorical(identical, `${conId.value}|TRADES`, (api) =>
      api.reqHistoricalData(
        req.reqId,
        contract,
        end,
        duration,
        BarSizeSetting.DAYS_ONE,
        WhatToShow.TRADES,
        1,
        1,
        false,
      ),
    );
    if (!sent) req.fail(notConnected(what));
    const r = await req.promise;
    if (!r.ok) return r;
    const out: DailyClose[] = [];
    for (const b of r.value) {
      const date = isoFromIb(b.date);
      const close = ibNumber(b.close);
      if (date === null || close === null || date > endDate) continue;
      out.push({ date, close });
    }
    out.sort((a, b) => a.date.localeCompare(b.date));
    return ok(out.slice(Math.max(0, out.length - sessions)));
  }

  async account(): Promise<BrokerResult<AccountReport | null>> {
    return this.client.accountValues.values();
  }

  /** One snapshot request, holding a market data line until IB ends it. */
  private async snapshot(contract: Contract, what: string): Promise<BrokerResult<Ticks>> {
    const r = await this.client.pacing.withLine(async () => {
      const req = this.client.registry.open<Ticks>({
        what: `market data for ${what}`,
        timeoutMs: this.client.conn.timeouts.snapshotMs,
        onError: (code, text, cls) => this.dataError(`market data for ${what}`, code, text, cls),
        onSettled: () => this.ticks.delete(req.reqId),
      });
      this.ticks.set(req.reqId, { bid: null, ask: null, last: null, close: null, undPrice: null });
      const sent = await this.client.conn.send('data', (api) =>
        api.reqMktData(req.reqId, contract, '', true, false),
      );
      if (!sent) req.fail(notConnected(`market data for ${what}`));
      return req.promise;
    });
    return r ?? err(notConnected(`market data for ${what}`));
  }

  /** A data request's error: permissions name what is missing; delayed data only when asked for. */
  private dataError(what: string, code: number, text: string, cls: string): ErrorDecision {
    const delayedAccepted = this.client.marketDataType !== 1;
    if (code === 10167 && delayedAccepted) return 'ignore';
    if (MARKET_DATA_PERMISSION_CODES.has(code)) {
      return {
        fail: {
          kind: 'error',
          code,
          text: `${what} is not available: ${ibCodeMeaning(code)} (IB ${code}: ${text}); subscribe the account to this data in IB's market data settings`,
        },
      };
    }
    if (cls === 'info') return 'ignore';
    return { fail: { kind: 'error', code, text: `${what}: ${text} (IB ${code})` } };
  }
}

export function createIbMarketData(client: IbClient): MarketDataQuery {
  return new IbMarketData(client);
}

function notConnected(what: string): BrokerFailure {
  return { kind: 'disconnected', text: `${what}: not connected to the gateway` };
}

/** Every answer, or the first failure. */
function all<T>(answers: readonly BrokerResult<T>[]): BrokerResult<readonly T[]> {
  const out: T[] = [];
  for (const a of answers) {
    if (!a.ok) return a;
    out.push(a.value);
  }
  return ok(out);
}

function describeSeries(contracts: readonly OptionContract[]): string {
  const series = [...new Set(contracts.map((c) => `${c.tradingClass} ${c.expiry}`))];
  return series.length <= 3
    ? series.join(', ')
    : `${series.slice(0, 3).join(', ')} and ${series.length - 3} more series`;
}
