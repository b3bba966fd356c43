// Every message the simulator encodes must decode in @stoqey/ib 1.6.10 with no leftover or missing
// field, and every request stoqey encodes must decode here with nothing left over, at every server
// version the simulator can negotiate (157..193).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimExecution, SimOrderView } from '../../../src/sim/engine-api.ts';
import { decodeRequest } from '../../../src/sim/protocol/decode-requests.ts';
import * as enc from '../../../src/sim/protocol/encode-responses.ts';
import { SIM_HIGHEST_VERSION, SIM_MIN_VERSION } from '../../../src/sim/protocol/version.ts';
import { EXPIRY, SPX_CON_ID, indexContract, spxwOption } from '../support/fake-engine.ts';
import { decodeWithStoqey, encodeWithStoqey } from '../support/stoqey-oracle.ts';

const VERSIONS = Array.from(
  { length: SIM_HIGHEST_VERSION - SIM_MIN_VERSION + 1 },
  (_, i) => SIM_MIN_VERSION + i,
);

const put = spxwOption(900002, 5850, 'P');
const call = spxwOption(900005, 5950, 'C');
const spx = indexContract(SPX_CON_ID, 'SPX');

const single: SimOrderView = {
  request: {
    clientId: 7,
    orderId: 1001,
    contract: { kind: 'single', conId: put.conId },
    action: 'SELL',
    totalQuantity: 2,
    orderType: 'LMT',
    lmtPrice: 3.1,
    tif: 'DAY',
    account: 'DU1234567',
    orderRef: 'plan-1:condor:0',
    transmit: true,
    whatIf: false,
    ocaGroup: '',
    exchange: 'SMART',
  },
  permId: 500000001,
  status: 'Submitted',
  filled: 0,
  remaining: 2,
  avgFillPrice: 0,
  lastFillPrice: 0,
  contracts: [put],
  margin: null,
  warningText: '',
};

const bagWhatIf: SimOrderView = {
  ...single,
  request: {
    ...single.request,
    orderId: 1002,
    action: 'BUY',
    lmtPrice: -1.25,
    whatIf: true,
    contract: {
      kind: 'bag',
      symbol: 'SPX',
      legs: [
        { conId: put.conId, ratio: 1, action: 'SELL', exchange: 'SMART' },
        { conId: call.conId, ratio: 1, action: 'BUY', exchange: 'SMART' },
      ],
    },
  },
  permId: 0,
  status: 'PreSubmitted',
  contracts: [put, call],
  margin: {
    initMarginBefore: 0,
    maintMarginBefore: 0,
    equityWithLoanBefore: 100000,
    initMarginChange: 5000,
    maintMarginChange: 4500,
    equityWithLoanChange: -2.6,
    initMarginAfter: 5000,
    maintMarginAfter: 4500,
    equityWithLoanAfter: 99997.4,
    commission: 2.6,
  },
  warningText: 'Non-ASCII ünïcode',
};

const exec: SimExecution = {
  execId: '0000e0d5.67800000.01.01',
  orderId: 1001,
  clientId: 7,
  permId: 500000001,
  orderRef: 'plan-1:condor:0',
  contract: put,
  timeMs: 0,
  account: 'DU1234567',
  exchange: 'CBOE',
  side: 'SLD',
  shares: 1,
  price: 3.1,
  cumQty: 1,
  avgPrice: 3.1,
};

function messages(sv: number): { name: string; event: string; fields: string[] }[] {
  const m = (
    name: string,
    event: string,
    fields: string[],
  ): { name: string; event: string; fields: string[] } => ({ name, event, fields });
  return [
    m('managedAccounts', 'managedAccounts', enc.managedAccounts(['DU1234567'])),
    m('nextValidId', 'nextValidId', enc.nextValidId(17)),
    m('currentTime', 'currentTime', enc.currentTime(1736521200)),
    m('contractData OPT', 'contractDetails', enc.contractData(sv, 4, put)),
    m('contractData IND', 'contractDetails', enc.contractData(sv, 4, spx)),
    m('contractDataEnd', 'contractDetailsEnd', enc.contractDataEnd(4)),
    m(
      'secDefOptParameter',
      'securityDefinitionOptionParameter',
      enc.secDefOptParameter(5, {
        exchange: 'CBOE',
        underlyingConId: SPX_CON_ID,
        tradingClass: 'SPXW',
        multiplier: 100,
        expirations: ['20250113'],
        strikes: [5850, 5900.5],
      }),
    ),
    m('secDefOptParameterEnd', 'securityDefinitionOptionParameterEnd', enc.secDefOptParameterEnd(5)),
    m('marketDataType', 'marketDataType', enc.marketDataType(6, 3)),
    m('tickReqParams', 'tickReqParams', enc.tickReqParams(6, 0.05, '', 3)),
    m('tickPrice', 'tickPrice', enc.tickPrice(6, 1, 3.05, 10, 1)),
    m('tickSize', 'tickSize', enc.tickSize(6, 8, 1234)),
    m('tickGeneric', 'tickGeneric', enc.tickGeneric(6, 24, 0.14)),
    m('tickString', 'tickString', enc.tickString(6, 45, '1736521200')),
    m(
      'tickOptionComputation',
      'tickOptionComputation',
      enc.tickOptionComputation(6, 13, {
        impliedVol: 0.14,
        delta: -0.38,
        optPrice: 3.1,
        pvDividend: 0,
        gamma: 0.004,
        vega: 1.9,
        theta: -3.1,
        undPrice: 5900.5,
      }),
    ),
    m('tickOptionComputation n/a', 'tickOptionComputation', enc.tickOptionComputation(6, 13, null)),
    m('tickSnapshotEnd', 'tickSnapshotEnd', enc.tickSnapshotEnd(6)),
    m(
      'historicalData',
      'historicalData',
      enc.historicalData(8, '20240110 10:00:00 US/Eastern', '20250110 10:00:00 US/Eastern', [
        { date: '20250109', open: 5880, high: 5910, low: 5870, close: 5900, volume: 0 },
      ]),
    ),
    m(
      'historicalDataUpdate',
      'historicalDataUpdate',
      enc.historicalDataUpdate(8, -1, {
        date: '20250110',
        open: 5880,
        high: 5910,
        low: 5870,
        close: 5900,
        volume: 0,
      }),
    ),
    m('openOrder single', 'openOrder', enc.openOrder(sv, single)),
    m(
      'openOrder BAG whatIf',
      'openOrder',
      enc.openOrder(sv, bagWhatIf, { smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] }),
    ),
    m('orderStatus', 'orderStatus', enc.orderStatus(single)),
    m('openOrderEnd', 'openOrderEnd', enc.openOrderEnd()),
    m(
      'completedOrder single',
      'completedOrder',
      enc.completedOrder(
        sv,
        {
          order: { ...single, status: 'Filled', filled: 2, remaining: 0 },
          completedTimeMs: 0,
          completedStatus: 'Filled',
        },
        '20250110 10:05:00 US/Eastern',
      ),
    ),
    m(
      'completedOrder BAG',
      'completedOrder',
      enc.completedOrder(
        sv,
        {
          order: { ...bagWhatIf, permId: 500000002, status: 'Cancelled' },
          completedTimeMs: 0,
          completedStatus: 'Cancelled by Trader',
        },
        '20250110 10:06:00 US/Eastern',
        { smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] },
      ),
    ),
    m('completedOrdersEnd', 'completedOrdersEnd', enc.completedOrdersEnd()),
    m('execDetails', 'execDetails', enc.execDetails(sv, -1, exec, '20250110 10:00:01 US/Eastern')),
    m('execDetailsEnd', 'execDetailsEnd', enc.execDetailsEnd(9)),
    m(
      'commissionReport',
      'commissionReport',
      enc.commissionReport({ execId: exec.execId, commission: 1.3, currency: 'USD', realizedPnl: null }),
    ),
    m(
      'position',
      'position',
      enc.position({ account: 'DU1234567', contract: put, position: -2, avgCost: 310 }),
    ),
    m('positionEnd', 'positionEnd', enc.positionEnd()),
    m(
      'accountSummary',
      'accountSummary',
      enc.accountSummary(10, 'DU1234567', 'NetLiquidation', '100000.00', 'USD'),
    ),
    m('accountSummaryEnd', 'accountSummaryEnd', enc.accountSummaryEnd(10)),
    m(
      'updateAccountValue',
      'updateAccountValue',
      enc.updateAccountValue('NetLiquidation', '100000.00', 'USD', 'DU1234567'),
    ),
    m(
      'updatePortfolio',
      'updatePortfolio',
      enc.updatePortfolio({
        contract: put,
        position: -2,
        marketPrice: 3,
        marketValue: -600,
        avgCost: 310,
        unrealizedPnl: 20,
        realizedPnl: 0,
        account: 'DU1234567',
      }),
    ),
    m('updateAccountTime', 'updateAccountTime', enc.updateAccountTime('10:00')),
    m('accountDownloadEnd', 'accountDownloadEnd', enc.accountDownloadEnd('DU1234567')),
    m(
      'accountUpdateMulti',
      'accountUpdateMulti',
      enc.accountUpdateMulti(11, 'DU1234567', '', 'NetLiquidation', '100000.00', 'USD'),
    ),
    m('accountUpdateMultiEnd', 'accountUpdateMultiEnd', enc.accountUpdateMultiEnd(11)),
    m('headTimestamp', 'headTimestamp', enc.headTimestamp(12, '19900102-14:30:00')),
    m(
      'marketRule',
      'marketRule',
      enc.marketRule(110, [
        { lowEdge: 0, increment: 0.05 },
        { lowEdge: 3, increment: 0.1 },
      ]),
    ),
  ];
}

describe('server messages decode in @stoqey/ib at every negotiable version', () => {
  for (const sv of VERSIONS) {
    it(`v${sv}`, () => {
      for (const msg of messages(sv)) {
        const r = decodeWithStoqey(sv, msg.fields);
        assert.deepEqual(r.errors, [], `${msg.name} at v${sv}`);
        assert.ok(
          r.events.some((e) => e.name === msg.event),
          `${msg.name} at v${sv} emitted ${r.events.map((e) => e.name).join(',')}`,
        );
      }
      const err = decodeWithStoqey(
        sv,
        enc.errorMessage(sv, 1001, 201, 'Order rejected - reason:Riskless', '{"a":1}'),
      );
      assert.deepEqual(
        err.errors.map((e) => [e.code, e.reqId]),
        [[201, 1001]],
      );
      const info = decodeWithStoqey(
        sv,
        enc.errorMessage(sv, -1, 2104, 'Market data farm connection is OK:usfarm'),
      );
      assert.deepEqual(
        info.infos.map((e) => e.code),
        [2104],
      );
    });
  }

  it('openOrder carries what a reconnecting bot matches on (orderRef, permId) and the whatIf margins', () => {
    const [s] = decodeWithStoqey(178, enc.openOrder(178, single)).events;
    const order = s?.args[2] as { orderRef: string; permId: number; clientId: number; lmtPrice: number };
    assert.equal(order.orderRef, 'plan-1:condor:0');
    assert.equal(order.permId, 500000001);
    assert.equal(order.clientId, 7);
    assert.equal(order.lmtPrice, 3.1);
    const [w] = decodeWithStoqey(178, enc.openOrder(178, bagWhatIf)).events;
    const contract = w?.args[1] as { secType: string; comboLegs: { conId: number; action: string }[] };
    const state = w?.args[3] as { initMarginChange: number; status: string; warningText: string };
    assert.equal(contract.secType, 'BAG');
    assert.deepEqual(
      contract.comboLegs.map((l) => [l.conId, l.action]),
      [
        [put.conId, 'SELL'],
        [call.conId, 'BUY'],
      ],
    );
    assert.equal(state.initMarginChange, 5000);
    assert.equal(state.status, 'PreSubmitted');
    assert.equal(state.warningText, 'Non-ASCII ünïcode');
  });

  it('completedOrder carries permId, orderRef, legs, status, filled quantity and completion (v178, v193)', () => {
    for (const sv of [178, 193]) {
      const msg = enc.completedOrder(
        sv,
        {
          order: { ...bagWhatIf, permId: 500000002, status: 'Filled', filled: 3, remaining: 0 },
          completedTimeMs: 0,
          completedStatus: 'Filled',
        },
        '20250110 10:06:00 US/Eastern',
      );
      const [e] = decodeWithStoqey(sv, msg).events;
      const contract = e?.args[0] as { secType: string; comboLegs: { conId: number; action: string }[] };
      const order = e?.args[1] as {
        orderRef: string;
        permId: number;
        lmtPrice: number;
        filledQuantity: number;
      };
      const state = e?.args[2] as { status: string; completedStatus: string; completedTime: string };
      assert.equal(contract.secType, 'BAG');
      assert.deepEqual(
        contract.comboLegs.map((l) => [l.conId, l.action]),
        [
          [put.conId, 'SELL'],
          [call.conId, 'BUY'],
        ],
      );
      assert.equal(order.orderRef, 'plan-1:condor:0');
      assert.equal(order.permId, 500000002);
      assert.equal(order.lmtPrice, -1.25);
      assert.equal(order.filledQuantity, 3);
      assert.deepEqual(
        [state.status, state.completedStatus, state.completedTime],
        ['Filled', 'Filled', '20250110 10:06:00 US/Eastern'],
      );
    }
  });

  it('headTimestamp and marketRule carry their values through stoqey', () => {
    const [h] = decodeWithStoqey(178, enc.headTimestamp(12, '19900102-14:30:00')).events;
    assert.deepEqual(h?.args, [12, '19900102-14:30:00']);
    const rules = [
      { lowEdge: 0, increment: 0.01 },
      { lowEdge: 3, increment: 0.05 },
    ];
    const [r] = decodeWithStoqey(193, enc.marketRule(239, rules)).events;
    assert.deepEqual(r?.args, [239, rules]);
  });

  it('field counts match the documented V=178 layouts', () => {
    assert.equal(enc.openOrder(178, single).length, 135);
    assert.equal(enc.execDetails(178, -1, exec, 't').length, 32);
    assert.equal(enc.contractData(178, 1, put).length, 40);
    assert.equal(enc.tickPrice(1, 1, 1, 1, 0).length, 7);
    assert.equal(
      enc.updatePortfolio({
        contract: put,
        position: 1,
        marketPrice: 1,
        marketValue: 1,
        avgCost: 1,
        unrealizedPnl: 0,
        realizedPnl: 0,
        account: 'a',
      }).length,
      20,
    );
    assert.deepEqual(enc.serverHello(178, '20250110 10:00:00 EST'), ['178', '20250110 10:00:00 EST']);
  });
});

describe('requests stoqey encodes decode with nothing left over', () => {
  const bag = {
    symbol: 'SPX',
    secType: 'BAG',
    currency: 'USD',
    exchange: 'SMART',
    comboLegs: [
      { conId: put.conId, ratio: 1, action: 'SELL', exchange: 'SMART' },
      { conId: call.conId, ratio: 1, action: 'BUY', exchange: 'SMART' },
    ],
  } as const;
  const opt = {
    conId: put.conId,
    symbol: 'SPX',
    secType: 'OPT',
    exchange: 'SMART',
    currency: 'USD',
    tradingClass: 'SPXW',
    lastTradeDateOrContractMonth: EXPIRY.replaceAll('-', ''),
    strike: 5850,
    right: 'P',
  } as const;

  for (const sv of VERSIONS) {
    it(`v${sv}`, () => {
      const sent = encodeWithStoqey(sv, (e) => {
        e.reqContractDetails(1, opt as never);
        e.reqSecDefOptParams(2, 'SPX', '', 'IND', SPX_CON_ID);
        e.reqMktData(3, opt as never, '100,106', false, false);
        e.reqMktData(4, bag as never, '', true, false);
        e.cancelMktData(3);
        e.reqMarketDataType(3);
        e.reqHistoricalData(
          5,
          { conId: SPX_CON_ID, symbol: 'SPX', secType: 'IND', exchange: 'CBOE', currency: 'USD' } as never,
          '',
          '1 Y',
          '1 day' as never,
          'TRADES',
          1,
          1,
          false,
        );
        e.placeOrder(
          1001,
          opt as never,
          {
            action: 'SELL',
            orderType: 'LMT',
            lmtPrice: 3.1,
            totalQuantity: 2,
            transmit: true,
            orderRef: 'r1',
            tif: 'DAY',
          } as never,
        );
        e.placeOrder(
          1002,
          bag as never,
          {
            action: 'BUY',
            orderType: 'LMT',
            lmtPrice: -1.25,
            totalQuantity: 2,
            transmit: true,
            whatIf: true,
            orderRef: 'r2',
            smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }],
            orderComboLegs: [{ price: 1 }, { price: 2 }],
          } as never,
        );
        if (sv >= 170) {
          e.placeOrder(
            1003,
            opt as never,
            {
              action: 'BUY',
              orderType: 'PEG BEST',
              totalQuantity: 1,
              transmit: true,
              competeAgainstBestOffset: Infinity,
              minCompeteSize: 1,
            } as never,
          );
        } else {
          e.placeOrder(
            1003,
            opt as never,
            { action: 'BUY', orderType: 'MKT', totalQuantity: 1, transmit: true } as never,
          );
        }
        e.cancelOrder(1001, {});
        e.reqGlobalCancel({});
        e.reqOpenOrders();
        e.reqAllOpenOrders();
        e.reqAutoOpenOrders(true);
        e.reqCompletedOrders(false);
        e.reqExecutions(6, {
          clientId: 7,
          acctCode: 'DU1234567',
          time: '20250110-09:00:00',
          symbol: 'SPX',
          secType: 'OPT',
          exchange: '',
          side: 'SELL',
        } as never);
        e.reqIds(1);
        e.reqCurrentTime();
        e.reqPositions();
        e.cancelPositions();
        e.reqAccountSummary(7, 'All', 'NetLiquidation,BuyingPower');
        e.cancelAccountSummary(7);
        e.reqAccountUpdates(true, 'DU1234567');
        e.reqAccountUpdatesMulti(8, 'DU1234567', '', true);
        e.cancelAccountUpdatesMulti(8);
        e.reqManagedAccts();
        e.cancelHistoricalData(5);
        e.reqHeadTimestamp(
          9,
          { conId: SPX_CON_ID, symbol: 'SPX', secType: 'IND', exchange: 'CBOE', currency: 'USD' } as never,
          'TRADES',
          true,
          2,
        );
        e.cancelHeadTimestamp(9);
        e.reqMarketRule(110);
      });
      const types: string[] = [];
      for (const fields of sent) {
        const d = decodeRequest(fields, sv);
        assert.ok(d.ok, `v${sv} ${fields[0]}: ${JSON.stringify(d)}`);
        assert.equal(d.leftover, 0, `v${sv} ${d.request.type} left fields over`);
        types.push(d.request.type);
      }
      assert.equal(types.length, 31);
      const place = decodeRequest(sent[8]!, sv);
      assert.ok(place.ok && place.request.type === 'placeOrder');
      const p = place.request;
      assert.equal(p.order.lmtPrice, -1.25);
      assert.equal(p.order.whatIf, true);
      assert.equal(p.order.transmit, true);
      assert.deepEqual(p.order.smartComboRoutingParams, [{ tag: 'NonGuaranteed', value: '1' }]);
      assert.deepEqual(
        p.contract.comboLegs.map((l) => [l.conId, l.action]),
        [
          [put.conId, 'SELL'],
          [call.conId, 'BUY'],
        ],
      );
      const mkt = decodeRequest(sent[2]!, sv);
      assert.ok(mkt.ok && mkt.request.type === 'reqMktData' && mkt.request.genericTickList === '100,106');
      const head = decodeRequest(sent[28]!, sv);
      assert.ok(head.ok && head.request.type === 'reqHeadTimestamp');
      assert.equal(head.request.reqId, 9);
      assert.equal(head.request.contract.conId, SPX_CON_ID);
      assert.equal(head.request.useRth, true);
      assert.equal(head.request.whatToShow, 'TRADES');
      assert.equal(head.request.formatDate, 2);
      const ruleReq = decodeRequest(sent[30]!, sv);
      assert.deepEqual(ruleReq.ok && ruleReq.request, { type: 'reqMarketRule', marketRuleId: 110 });
    });
  }

  it('reads stoqey undefined transmit/whatIf ("") as false', () => {
    const [fields] = encodeWithStoqey(178, (e) =>
      e.placeOrder(
        5,
        opt as never,
        { action: 'BUY', orderType: 'LMT', lmtPrice: 1, totalQuantity: 1 } as never,
      ),
    );
    const d = decodeRequest(fields!, 178);
    assert.ok(d.ok && d.request.type === 'placeOrder');
    assert.equal(d.request.order.transmit, false);
    assert.equal(d.request.order.whatIf, false);
  });

  it('classifies garbage without throwing', () => {
    assert.deepEqual(decodeRequest(['abc'], 178), { ok: false, kind: 'unknown', msgId: null, text: 'abc' });
    assert.equal(decodeRequest(['999', '1'], 178).ok, false);
    const unsupported = decodeRequest(['10', '5', '1'], 178);
    assert.equal(!unsupported.ok && unsupported.kind, 'unsupported');
    const truncated = decodeRequest(['3', '1001', '', 'SPX'], 178);
    assert.equal(!truncated.ok && truncated.kind, 'malformed');
    const badCount = decodeRequest(
      ['1', '11', '1', '', 'SPX', 'BAG', '', '', '', '', 'SMART', '', 'USD', '', '', '99999'],
      178,
    );
    assert.equal(!badCount.ok && badCount.kind, 'malformed');
    assert.equal(decodeRequest([], 178).ok, false);
  });
});
