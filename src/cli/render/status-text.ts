// `ironvix status` as text: account, hedge layers, other positions, open orders, today's
// executions and the journal's view. Times are shown in IRONVIX_TZ.
import { DateTime } from 'luxon';
import type { StatusReport } from '../../app/status.ts';
import type { BrokerContract, ExecutionContract, PositionContract } from '../../domain/broker-reports.ts';
import { layerShape } from '../../domain/hedge/recognize-layers.ts';
import { contractKey, formatStrike } from '../../domain/instruments.ts';
import { formatCents, formatPrice } from '../../domain/money.ts';
import { renderTable } from './table.ts';

export function describeBrokerContract(c: BrokerContract | null): string {
  if (c === null) return '(contract not recognised)';
  if (c.kind === 'single') return contractKey(c.contract);
  const legs = c.legs.map(
    (l) => `${l.action} ${l.ratio} ${formatStrike(l.contract.strike)}${l.contract.right}`,
  );
  const expiries = [...new Set(c.legs.map((l) => l.contract.expiry))].join('/');
  return `${c.symbol} BAG ${expiries} (${legs.join(', ')})`;
}

export function describeExecutionContract(c: ExecutionContract): string {
  switch (c.kind) {
    case 'option':
      return contractKey(c.contract);
    case 'combo':
      return `${c.symbol} BAG`;
    case 'other':
      return c.description;
  }
}

export function describePositionContract(c: PositionContract): string {
  switch (c.kind) {
    case 'option':
      return contractKey(c.contract);
    case 'future':
      return `${c.symbol} FUT ${c.expiry}`;
    case 'other':
      return c.description;
  }
}

const time = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ');

export function renderStatusText(s: StatusReport, zone: string): string {
  const out: string[] = [];
  out.push(`ironvix status: ${s.broker} at ${time(s.atMs, zone)}`);
  for (const p of s.problems) out.push(`WARNING: ${p}`);
  out.push('', '== Account ==');
  if (s.account === null) out.push('(not available)');
  else {
    const a = s.account;
    out.push(
      `${a.accountId}: net liquidation ${formatCents(a.netLiquidation)}, available funds ${formatCents(a.availableFunds)}, ` +
        `excess liquidity ${formatCents(a.excessLiquidity)}, initial margin ${formatCents(a.initMarginReq)}`,
    );
  }
  out.push('', '== Hedge layers in the account ==');
  if (s.layers.length === 0) out.push('(none)');
  else
    out.push(
      renderTable(
        [{ header: 'layer' }, { header: 'kind' }, { header: 'qty', align: 'right' }],
        s.layers.map((l) => [layerShape(l), l.kind, String(l.quantity)]),
      ),
    );
  out.push('', '== Other positions ==');
  if (s.otherPositions.length === 0) out.push('(none)');
  else
    out.push(
      renderTable(
        [{ header: 'contract' }, { header: 'qty', align: 'right' }, { header: 'avg cost', align: 'right' }],
        s.otherPositions.map((p) => [
          describePositionContract(p.contract),
          String(p.quantity),
          formatCents(p.avgCost),
        ]),
      ),
    );
  out.push('', '== Open orders ==');
  if (s.openOrders.length === 0) out.push('(none)');
  else
    out.push(
      renderTable(
        [
          { header: 'id', align: 'right' },
          { header: 'orderRef' },
          { header: 'contract' },
          { header: 'side' },
          { header: 'qty', align: 'right' },
          { header: 'limit', align: 'right' },
          { header: 'status' },
          { header: 'filled', align: 'right' },
        ],
        s.openOrders.map((o) => [
          String(o.orderId),
          o.orderRef === '' ? '(none)' : o.orderRef,
          describeBrokerContract(o.contract),
          o.action,
          String(o.quantity),
          o.limitPrice === null ? '' : formatPrice(o.limitPrice),
          o.status,
          String(o.filled),
        ]),
      ),
    );
  out.push('', "== Today's executions ==");
  if (s.executions.length === 0) out.push('(none)');
  else {
    const commission = new Map(s.commissions.map((c) => [c.execId, c.commission]));
    out.push(
      renderTable(
        [
          { header: 'time' },
          { header: 'orderRef' },
          { header: 'contract' },
          { header: 'side' },
          { header: 'qty', align: 'right' },
          { header: 'price', align: 'right' },
          { header: 'commission', align: 'right' },
        ],
        [...s.executions]
          .sort((a, b) => a.timeMs - b.timeMs || a.execId.localeCompare(b.execId))
          .map((e) => {
            const c = commission.get(e.execId);
            return [
              time(e.timeMs, zone),
              e.orderRef,
              describeExecutionContract(e.contract),
              e.side,
              String(e.quantity),
              formatPrice(e.price),
              c === undefined ? '' : formatCents(c),
            ];
          }),
      ),
    );
  }
  if (s.journal !== null) {
    const j = s.journal;
    out.push('', `== Journal (${j.location}) ==`);
    out.push(
      j.halt.halted
        ? `TRADING HALTED since ${time(j.halt.atMs, zone)} (${j.halt.source}): ${j.halt.reason}`
        : 'trading not halted',
    );
    if (j.plansInFlight.length > 0)
      out.push(`plans in flight: ${j.plansInFlight.map((p) => p.planId).join(', ')}`);
    if (j.recentPlans.length === 0) out.push('no plan executed yet');
    else
      out.push(
        renderTable(
          [
            { header: 'plan' },
            { header: 'cycle' },
            { header: 'started' },
            { header: 'orders', align: 'right' },
            { header: 'outcome' },
          ],
          j.recentPlans.map((p) => [
            p.planId,
            p.cycleDate,
            time(p.startedAtMs, zone),
            String(p.orderCount),
            p.end === null ? 'IN FLIGHT' : `${p.end.result}: ${p.end.reason}`,
          ]),
        ),
      );
    out.push(
      j.bookDifferences.length === 0
        ? `journal book: ${j.book.length} layer(s), agrees with the account`
        : `journal book differs from the account:\n${j.bookDifferences.map((d) => `  ${d}`).join('\n')}`,
    );
    const c = j.lastCoverage;
    if (c !== null) {
      out.push(
        '',
        `== Hedge book and coverage (stress values of plan ${c.planId}, ${c.cycleDate}, ${c.result}) ==`,
      );
      if (c.layers.length > 0)
        out.push(
          renderTable(
            [
              { header: 'layer' },
              { header: 'template' },
              { header: 'qty', align: 'right' },
              { header: 'entry', align: 'right' },
              { header: 'stress P&L/contract', align: 'right' },
              { header: 'stress P&L', align: 'right' },
            ],
            c.layers.map(({ layer, stressPnlPerContractCents: v }) => [
              layerShape(layer),
              layer.templateId,
              String(layer.quantity),
              formatPrice(layer.entryPrice),
              v === null ? 'not valued' : formatCents(v),
              v === null ? '' : formatCents(v * layer.quantity),
            ]),
          ),
        );
      out.push(
        `book stress P&L ${formatCents(c.bookStressPnlCents)} against ${formatCents(c.requiredStressPnlCents)} required ` +
          `(target c = ${c.coverageTarget.toFixed(2)})` +
          (c.coverageRatio === null
            ? ''
            : `: ${c.coverageRatio.toFixed(2)}x the stress loss of the ${c.condorFilled} condor(s) it filled`),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
