// The account's values through reqAccountSummary, shared by the broker and the market data query.
// IB keeps a summary subscription open (at most two at once): it is cancelled as soon as it ended.
import { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
import { err, ok } from '../../domain/result.ts';
import type { Cents } from '../../domain/money.ts';
import { cents } from '../../domain/money.ts';
import type { AccountReport, BrokerResult } from '../../ports/broker.ts';
import { centsFromIb } from './from-ib.ts';
import type { IbConnection } from './ib-connection.ts';
import type { RequestRegistry } from './request-registry.ts';

const TAGS = [
  'NetLiquidation',
  'AvailableFunds',
  'ExcessLiquidity',
  'BuyingPower',
  'InitMarginReq',
  'MaintMarginReq',
];

/** Tag -> value, per account. */
type Values = Map<string, Map<string, string>>;

export class IbAccount {
  private readonly summaries = new Map<number, Values>();
  private inFlight: Promise<BrokerResult<AccountReport>> | null = null;

  constructor(
    private readonly conn: IbConnection,
    private readonly registry: RequestRegistry,
    /** The account ironvix works in; null when it cannot tell (several accounts, none configured). */
    private readonly accountOf: () => string | null,
  ) {
    conn.bind((on) => {
      on(EventName.accountSummary, (reqId: number, account: string, tag: string, value: string) => {
        const values = this.summaries.get(reqId);
        if (values === undefined) return;
        const perAccount = values.get(account) ?? new Map<string, string>();
        perAccount.set(tag, value);
        values.set(account, perAccount);
      });
      on(EventName.accountSummaryEnd, (reqId: number) => {
        const values = this.summaries.get(reqId);
        if (values !== undefined) this.registry.get<Values>(reqId)?.finish(values);
      });
    });
  }

  /** The account's values (callers at the same time share one request). */
  values(): Promise<BrokerResult<AccountReport>> {
    if (this.inFlight !== null) return this.inFlight;
    const p = this.fetch().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }

  private async fetch(): Promise<BrokerResult<AccountReport>> {
    const accountId = this.accountOf();
    if (accountId === null) {
      const known = this.conn.info()?.accounts ?? [];
      if (known.length === 0)
        return err({ kind: 'disconnected', text: 'account values: not connected to the gateway' });
      return err({
        kind: 'error',
        code: 0,
        text: `account values: the gateway manages ${known.join(', ')}; set IB_ACCOUNT to the one to use`,
      });
    }
    const req = this.registry.open<Values>({
      what: `account values of ${accountId}`,
      timeoutMs: this.conn.timeouts.requestMs,
      onSettled: () => {
        this.summaries.delete(req.reqId);
        void this.conn.send('control', (api) => api.cancelAccountSummary(req.reqId));
      },
    });
    this.summaries.set(req.reqId, new Map());
    const sent = await this.conn.send('control', (api) =>
      api.reqAccountSummary(req.reqId, 'All', TAGS.join(',')),
    );
    if (!sent)
      req.fail({
        kind: 'disconnected',
        text: `account values of ${accountId}: not connected to the gateway`,
      });
    const r = await req.promise;
    if (!r.ok) return r;
    const values = r.value.get(accountId);
    const get = (tag: string): Cents | null => centsFromIb(values?.get(tag));
    const nlv = get('NetLiquidation');
    if (values === undefined || nlv === null)
      return err({ kind: 'error', code: 0, text: `account values: the gateway sent none for ${accountId}` });
    return ok({
      accountId,
      netLiquidation: nlv,
      availableFunds: get('AvailableFunds') ?? cents(0),
      excessLiquidity: get('ExcessLiquidity') ?? cents(0),
      buyingPower: get('BuyingPower') ?? cents(0),
      initMarginReq: get('InitMarginReq') ?? cents(0),
      maintMarginReq: get('MaintMarginReq') ?? cents(0),
    });
  }
}
