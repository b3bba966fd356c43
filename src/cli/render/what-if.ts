// IB's what-if for a plan, as `preview --gateway` prints it: margin and commission per order and
// for the whole plan (text), and the same as JSON fields in cents.
import type { PlanWhatIf } from '../../app/plan-from-gateway.ts';
import { formatCents } from '../../domain/money.ts';
import { printable } from '../../domain/text.ts';
import { renderTable } from './table.ts';

export interface WhatIfOrderJson {
  readonly key: string;
  readonly kind: 'margin' | 'refused' | 'unavailable';
  readonly initMarginChangeCents: number | null;
  readonly maintMarginChangeCents: number | null;
  readonly commissionCents: number | null;
  /** IB's warning, refusal (with its code) or why no answer came. */
  readonly text: string | null;
}

export interface WhatIfJson {
  readonly orders: readonly WhatIfOrderJson[];
  readonly initMarginChangeCents: number | null;
  readonly commissionCents: number | null;
}

export function whatIfJson(w: PlanWhatIf): WhatIfJson {
  return {
    orders: w.orders.map(({ key, outcome: o }): WhatIfOrderJson => {
      switch (o.kind) {
        case 'margin':
          return {
            key,
            kind: 'margin',
            initMarginChangeCents: o.initMarginChange,
            maintMarginChangeCents: o.maintMarginChange,
            commissionCents: o.commission,
            text: o.warning,
          };
        case 'refused':
          return {
            key,
            kind: 'refused',
            initMarginChangeCents: null,
            maintMarginChangeCents: null,
            commissionCents: null,
            text: `IB ${o.code}: ${o.text}`,
          };
        case 'unavailable':
          return {
            key,
            kind: 'unavailable',
            initMarginChangeCents: null,
            maintMarginChangeCents: null,
            commissionCents: null,
            text: o.reason,
          };
      }
    }),
    initMarginChangeCents: w.initMarginChangeCents,
    commissionCents: w.commissionCents,
  };
}

const money = (c: number | null): string => (c === null ? 'n/a' : formatCents(c));

export function renderWhatIfText(w: PlanWhatIf): string {
  const j = whatIfJson(w);
  const out = ['== IB what-if (each order alone, at its first limit; nothing was sent) =='];
  if (j.orders.length === 0) out.push('(no orders)');
  else
    out.push(
      renderTable(
        [
          { header: 'order' },
          { header: 'answer' },
          { header: 'init margin', align: 'right' },
          { header: 'maint margin', align: 'right' },
          { header: 'commission', align: 'right' },
          { header: 'note' },
        ],
        j.orders.map((o) => [
          o.key,
          o.kind,
          money(o.initMarginChangeCents),
          money(o.maintMarginChangeCents),
          money(o.commissionCents),
          printable(o.text ?? ''),
        ]),
      ),
    );
  out.push(
    `plan: initial margin change ${money(j.initMarginChangeCents)}, commissions ${money(j.commissionCents)}` +
      (j.initMarginChangeCents === null ? ' (an order had no margin answer)' : ''),
  );
  return `${out.join('\n')}\n`;
}
