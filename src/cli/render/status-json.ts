// `ironvix status --json`: the same report as stable JSON; every money field says its unit (cents),
// every time is epoch milliseconds and ISO New York.
import { DateTime } from 'luxon';
import type { StatusReport } from '../../app/status.ts';
import { NY_ZONE } from '../../domain/calendar.ts';
import { layerShape } from '../../domain/hedge/recognize-layers.ts';
import {
  describeBrokerContract,
  describeExecutionContract,
  describePositionContract,
} from './status-text.ts';

const iso = (ms: number): string | null => DateTime.fromMillis(ms, { zone: NY_ZONE }).toISO();

export function renderStatusJson(s: StatusReport): string {
  const commission = new Map(s.commissions.map((c) => [c.execId, c.commission]));
  const doc = {
    broker: s.broker,
    atMs: s.atMs,
    at: iso(s.atMs),
    problems: s.problems,
    account:
      s.account === null
        ? null
        : {
            accountId: s.account.accountId,
            netLiquidationCents: s.account.netLiquidation,
            availableFundsCents: s.account.availableFunds,
            excessLiquidityCents: s.account.excessLiquidity,
            buyingPowerCents: s.account.buyingPower,
            initMarginCents: s.account.initMarginReq,
            maintMarginCents: s.account.maintMarginReq,
          },
    hedgeLayers: s.layers.map((l) => ({ layer: layerShape(l), ...l })),
    otherPositions: s.otherPositions.map((p) => ({
      contract: describePositionContract(p.contract),
      quantity: p.quantity,
      avgCostCents: p.avgCost,
    })),
    openOrders: s.openOrders.map((o) => ({
      orderId: o.orderId,
      permId: o.permId,
      orderRef: o.orderRef,
      contract: describeBrokerContract(o.contract),
      action: o.action,
      quantity: o.quantity,
      limitPriceCents: o.limitPrice,
      status: o.status,
      filled: o.filled,
    })),
    executions: s.executions.map((e) => ({
      execId: e.execId,
      timeMs: e.timeMs,
      orderRef: e.orderRef,
      contract: describeExecutionContract(e.contract),
      side: e.side,
      quantity: e.quantity,
      priceCents: e.price,
      commissionCents: commission.get(e.execId) ?? null,
    })),
    journal:
      s.journal === null
        ? null
        : {
            location: s.journal.location,
            halt: s.journal.halt,
            plansInFlight: s.journal.plansInFlight,
            recentPlans: s.journal.recentPlans,
            book: s.journal.book,
            bookDifferences: s.journal.bookDifferences,
            coverage: s.journal.lastCoverage,
          },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
