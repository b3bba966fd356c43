// The venue's account ledger: cash, positions at IB's average cost, realized P&L of the day, account
// values (net liquidation, margin, buying power) from the market's marks, and cash settlement of
// expired positions.
import type { SimContract, SimMarket, SimPosition } from '../engine-api.ts';
import type { SimMarketControl } from '../market/market.ts';
import type { MarginLine } from './margin.ts';
import { portfolioRequirement } from './margin.ts';
import { settlementOf } from './settlement.ts';

interface PosRec {
  contract: SimContract;
  position: number;
  /** IB avgCost: price x multiplier per contract in dollars, the opening commission included. */
  avgCost: number;
  /** The same average without commissions: what futures variation margin and settlement use. */
  avgPriceCost: number;
}

export interface Ledger {
  cashCents(): number;
  realizedToday(): number;
  /** A new trading day starts the day's realized P&L at zero. */
  startDay(date: string): void;
  /**
   * Books a signed quantity at a price (cents per unit) and pays its commission (dollars); returns
   * the realized P&L in dollars (net of the opening and closing commissions, as IB reports it) or null.
   */
  bookFill(c: SimContract, qty: number, priceCents: number, commission: number): number | null;
  position(conId: number): SimPosition | null;
  positions(): SimPosition[];
  /** Cash-settles every position whose settlement value is known; returns the settled contracts. */
  settleExpired(): SimContract[];
  /** Mid of a contract's quote (else the model price, else the last). */
  readonly markOf: (c: SimContract) => number;
  /** The underlying an option is priced against (VIX options: their future). */
  readonly underlyingOf: (c: SimContract) => number;
  marginLines(): MarginLine[];
  accountNumbers(): Record<string, number>;
  /** Account summary tags as IB's strings (two decimals). */
  accountValues(): Record<string, string>;
}

export function createLedger(opts: {
  readonly market: SimMarket & SimMarketControl;
  readonly account: string;
  /** Dollars. */
  readonly startingCash: number;
}): Ledger {
  const { market, account } = opts;
  const positions = new Map<number, PosRec>();
  let cashCents = Math.round(opts.startingCash * 100);
  let realizedToday = 0;
  let realizedDate = market.tradingDate();

  const view = (p: PosRec): SimPosition => ({
    account,
    contract: p.contract,
    position: p.position,
    avgCost: p.avgCost,
  });

  const markOf = (c: SimContract): number => {
    const q = market.quote(c.conId);
    if (q !== undefined && q.bid !== null && q.ask !== null) return (q.bid + q.ask) / 2;
    const m = market.optionModel(c.conId);
    if (m !== undefined) return m.optPrice;
    return q?.last ?? 0;
  };
  const underlyingOf = (c: SimContract): number => {
    const m = market.optionModel(c.conId);
    if (m !== undefined) return m.undPrice;
    return market.spot(c.symbol === 'SPX' ? 'SPX' : 'VIX');
  };
  const marginLines = (): MarginLine[] =>
    [...positions.values()].map((p) => ({
      contract: p.contract,
      position: p.position,
      mark: markOf(p.contract),
    }));

  const accountNumbers = (): Record<string, number> => {
    let optionValue = 0;
    let futuresPnl = 0;
    let gross = 0;
    let unrealized = 0;
    for (const p of positions.values()) {
      const mult = p.contract.multiplier ?? 1;
      const mark = markOf(p.contract);
      const value = p.position * mark * mult;
      gross += Math.abs(value);
      unrealized += value - p.position * p.avgCost;
      // Commissions already left cash: a future adds only its price change to the liquidation value.
      if (p.contract.secType === 'FUT') futuresPnl += value - p.position * p.avgPriceCost;
      else optionValue += value;
    }
    const cash = cashCents / 100;
    const nlv = cash + optionValue + futuresPnl;
    const req = portfolioRequirement(marginLines(), underlyingOf);
    const available = nlv - req;
    return {
      NetLiquidation: nlv,
      TotalCashValue: cash,
      EquityWithLoanValue: nlv,
      // Margin account convention: buying power is four times the available funds.
      BuyingPower: Math.max(0, available) * 4,
      AvailableFunds: available,
      ExcessLiquidity: available,
      InitMarginReq: req,
      MaintMarginReq: req,
      GrossPositionValue: gross,
      UnrealizedPnL: unrealized,
      RealizedPnL: realizedToday,
    };
  };

  const bookFill = (c: SimContract, qty: number, priceCents: number, commission: number): number | null => {
    const mult = c.multiplier ?? 1;
    const unitCost = (priceCents / 100) * mult;
    const feePerContract = commission / Math.abs(qty);
    // IB folds the commission into avgCost: a long costs more, a short takes in less.
    const openCost = unitCost + Math.sign(qty) * feePerContract;
    let p = positions.get(c.conId);
    if (p === undefined) {
      p = { contract: c, position: 0, avgCost: 0, avgPriceCost: 0 };
      positions.set(c.conId, p);
    }
    let realized: number | null = null;
    let priceRealized = 0;
    if (p.position === 0 || Math.sign(p.position) === Math.sign(qty)) {
      const held = Math.abs(p.position);
      const total = held + Math.abs(qty);
      p.avgCost = (held * p.avgCost + Math.abs(qty) * openCost) / total;
      p.avgPriceCost = (held * p.avgPriceCost + Math.abs(qty) * unitCost) / total;
      p.position += qty;
    } else {
      const closing = Math.min(Math.abs(qty), Math.abs(p.position));
      realized = closing * ((unitCost - p.avgCost) * Math.sign(p.position) - feePerContract);
      priceRealized = closing * (unitCost - p.avgPriceCost) * Math.sign(p.position);
      p.position += qty;
      if (p.position === 0) {
        p.avgCost = 0;
        p.avgPriceCost = 0;
      } else if (Math.sign(p.position) === Math.sign(qty)) {
        p.avgCost = openCost;
        p.avgPriceCost = unitCost;
      }
    }
    // Options move premium through cash; futures only their price change (commissions are paid apart).
    if (c.secType === 'FUT') {
      cashCents += Math.round(priceRealized * 100);
    } else {
      cashCents -= Math.round(qty * priceCents * mult);
    }
    if (p.position === 0) positions.delete(c.conId);
    cashCents -= Math.round(commission * 100);
    realizedToday += realized ?? 0;
    return realized;
  };

  return {
    cashCents: () => cashCents,
    realizedToday: () => realizedToday,
    startDay(date) {
      if (date === realizedDate) return;
      realizedDate = date;
      realizedToday = 0;
    },
    bookFill,
    position(conId) {
      const p = positions.get(conId);
      return p === undefined ? null : view(p);
    },
    positions: () => [...positions.values()].map(view),
    settleExpired() {
      const settled: SimContract[] = [];
      for (const p of [...positions.values()]) {
        const st = settlementOf(p.contract, market);
        if (st === null) continue;
        const mult = p.contract.multiplier ?? 1;
        const value = st.unitPrice * mult;
        const realized = (value - p.avgCost) * p.position;
        if (p.contract.secType === 'FUT')
          cashCents += Math.round((value - p.avgPriceCost) * p.position * 100);
        else cashCents += Math.round(p.position * value * 100);
        realizedToday += realized;
        positions.delete(p.contract.conId);
        settled.push(p.contract);
      }
      return settled;
    },
    markOf,
    underlyingOf,
    marginLines,
    accountNumbers,
    accountValues() {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(accountNumbers())) out[k] = v.toFixed(2);
      return out;
    },
  };
}
