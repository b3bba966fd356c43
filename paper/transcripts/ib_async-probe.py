# ib_async probe against the ironvix IB Gateway simulator (not a real gateway).
# What it does: connects like any ib_async app (which awaits positions, open/completed orders, account
# updates (+multi) and executions), then contract details, option chain, snapshots, 1 Y of VIX daily
# bars, a marketable SPXW limit order to fill, positions/executions/fills, a BAG whatIf and a few
# error paths. Output: paper/transcripts/ib_async-probe.txt.
#
# How to run (ib_async is not a project dependency; use any checkout of ib-api-reloaded/ib_async plus
# eventkit and nest_asyncio, or `pip install ib_async`):
#   node bin/ironvix.js sim --port 0 --virtual-time --start-at 2026-11-24T10:00 --log-level warn
#   PYTHONPATH=<ib_async>:<eventkit>:<nest_asyncio> python3 paper/transcripts/ib_async-probe.py <port> [loglevel]
# From a source checkout ib_async 2.0.1 reads its version from package metadata: put a stub
# ib_async-2.0.1.dist-info/METADATA (Name: ib_async, Version: 2.0.1) on PYTHONPATH too.
import sys
import time

from ib_async import IB, Bag, ComboLeg, Index, LimitOrder, Option, util


def step(title):
    print(f"\n== {title}")


def main() -> int:
    port = int(sys.argv[1])
    ib = IB()
    ib.RequestTimeout = 20
    errors = []
    ib.errorEvent += lambda reqId, code, msg, contract: errors.append((reqId, code, msg))

    step("connect")
    t0 = time.monotonic()
    ib.connect("127.0.0.1", port, clientId=7, timeout=20)
    print(f"connected in {time.monotonic() - t0:.2f}s, serverVersion={ib.client.serverVersion()}")
    print("managedAccounts:", ib.managedAccounts())
    print("accountValues (NetLiquidation):", [
        (v.tag, v.value, v.currency) for v in ib.accountValues() if v.tag == "NetLiquidation"
    ])

    step("reqContractDetails(Index('SPX','CBOE'))")
    cds = ib.reqContractDetails(Index("SPX", "CBOE"))
    for cd in cds:
        c = cd.contract
        print(f"conId={c.conId} symbol={c.symbol} secType={c.secType} exchange={c.exchange} "
              f"currency={c.currency} longName={cd.longName!r} minTick={cd.minTick} tz={cd.timeZoneId}")
    spx = cds[0].contract
    assert spx.conId == 416904, spx.conId

    step("reqSecDefOptParams('SPX','','IND',416904)")
    chains = ib.reqSecDefOptParams("SPX", "", "IND", 416904)
    for ch in chains:
        print(f"exchange={ch.exchange} tradingClass={ch.tradingClass} multiplier={ch.multiplier} "
              f"expirations={list(ch.expirations)[:4]}... ({len(ch.expirations)}) "
              f"strikes={len(ch.strikes)} [{min(ch.strikes) if ch.strikes else ''}..{max(ch.strikes) if ch.strikes else ''}]")
    chain = next(c for c in chains if c.tradingClass == "SPXW" and c.exchange == "SMART")

    step("reqMktData snapshot SPX")
    [spx_t] = [ib.reqMktData(spx, "", snapshot=True)]
    ib.sleep(3)
    print(f"SPX last={spx_t.last} close={spx_t.close} bid={spx_t.bid} ask={spx_t.ask} mkt={spx_t.marketPrice()}")
    und = spx_t.marketPrice()
    if und != und:  # NaN
        und = spx_t.close if spx_t.close == spx_t.close else spx_t.last

    step("qualify SPXW option")
    expiry = sorted(chain.expirations)[1] if len(chain.expirations) > 1 else sorted(chain.expirations)[0]
    strike = min(chain.strikes, key=lambda k: abs(k - (und - 50)))
    opt = Option("SPX", expiry, strike, "P", "SMART", tradingClass="SPXW", currency="USD")
    q = ib.qualifyContracts(opt)
    print("qualified:", q)
    opt = q[0]

    step("reqMktData snapshot SPXW option")
    opt_t = ib.reqMktData(opt, "", snapshot=True)
    ib.sleep(3)
    print(f"{opt.localSymbol}: bid={opt_t.bid} ask={opt_t.ask} last={opt_t.last} "
          f"modelGreeks={opt_t.modelGreeks}")

    step("reqHistoricalData VIX 1 Y daily")
    vix = Index("VIX", "CBOE")
    ib.qualifyContracts(vix)
    bars = ib.reqHistoricalData(vix, "", "1 Y", "1 day", "TRADES", useRTH=True, formatDate=1)
    print(f"{len(bars)} bars; first={bars[0] if bars else None}")
    print(f"last={bars[-1] if bars else None}")

    step("place marketable LMT BUY 1 SPXW")
    # Re-quote first (the virtual clock has moved on) and pay up to 1.00 through the ask.
    [fresh] = ib.reqTickers(opt)
    ask = fresh.ask if fresh.ask == fresh.ask and fresh.ask > 0 else opt_t.ask
    print(f"re-quote: bid={fresh.bid} ask={fresh.ask}")
    tick = 0.05 if ask + 1.0 < 3 else 0.10
    price = round(round((ask + 1.0) / tick) * tick, 2)
    trade = ib.placeOrder(opt, LimitOrder("BUY", 1, price, tif="DAY", account=ib.managedAccounts()[0]))
    deadline = time.monotonic() + 20
    while not trade.isDone() and time.monotonic() < deadline:
        ib.sleep(0.2)
    print(f"limit={price} status={trade.orderStatus.status} filled={trade.orderStatus.filled} "
          f"avgFillPrice={trade.orderStatus.avgFillPrice}")
    for e in trade.log:
        print(f"  log: {e.status} {e.message!r}")

    step("positions / executions / fills")
    ib.sleep(1)
    for p in ib.positions():
        print(f"position: {p.account} {p.contract.localSymbol or p.contract.symbol} {p.position} @ {p.avgCost}")
    for ex in ib.executions():
        print(f"execution: {ex.execId} {ex.side} {ex.shares} @ {ex.price} orderId={ex.orderId}")
    for f in ib.fills():
        cr = f.commissionReport
        print(f"fill: {f.contract.localSymbol} {f.execution.shares} @ {f.execution.price} "
              f"commission={cr.commission if cr else None} {cr.currency if cr else ''}")

    step("whatIfOrder 2-leg SPXW put vertical BAG")
    lower = max(k for k in chain.strikes if k < strike - 20)
    long_leg = ib.qualifyContracts(Option("SPX", expiry, lower, "P", "SMART", tradingClass="SPXW", currency="USD"))[0]
    bag = Bag(symbol="SPX", exchange="SMART", currency="USD", comboLegs=[
        ComboLeg(conId=opt.conId, ratio=1, action="SELL", exchange="SMART"),
        ComboLeg(conId=long_leg.conId, ratio=1, action="BUY", exchange="SMART"),
    ])
    state = ib.whatIfOrder(bag, LimitOrder("BUY", 1, -1.0, account=ib.managedAccounts()[0]))
    print(f"initMarginChange={getattr(state, 'initMarginChange', None)} "
          f"maintMarginChange={getattr(state, 'maintMarginChange', None)} "
          f"commission={getattr(state, 'commission', None)} warning={getattr(state, 'warningText', None)!r}")


    step("extras: reqCurrentTime, unknown contract, BAG details, cancel, streaming, clientId 0")
    print("reqCurrentTime:", ib.reqCurrentTime())
    bad = Option("SPX", expiry, strike + 0.5, "P", "SMART", tradingClass="SPXW", currency="USD")
    print("qualify unknown strike ->", ib.qualifyContracts(bad))
    # IB answers a BAG with error 321, which ib_async classes as a warning: the request only times out.
    ib.RequestTimeout = 3
    try:
        print("contractDetails(BAG) ->", ib.reqContractDetails(bag))
    except TimeoutError:
        print("contractDetails(BAG) -> timed out after error 321 (ib_async treats 321 as a warning)")
    ib.RequestTimeout = 20
    far = LimitOrder("BUY", 1, 0.05, tif="DAY", account=ib.managedAccounts()[0])
    t2 = ib.placeOrder(long_leg, far)
    ib.sleep(1)
    print("resting order:", t2.orderStatus.status, "openTrades:", len(ib.openTrades()))
    ib.cancelOrder(far)
    ib.sleep(1)
    print("after cancel:", t2.orderStatus.status, [(e.status, e.errorCode) for e in t2.log])
    live = ib.reqMktData(long_leg, "", snapshot=False)
    ib.sleep(2)
    print(f"streaming {long_leg.localSymbol}: bid={live.bid} ask={live.ask} last={live.last}")
    ib.cancelMktData(long_leg)
    state1 = ib.whatIfOrder(long_leg, LimitOrder("SELL", 1, 1.0, account=ib.managedAccounts()[0]))
    print(f"whatIf single: initMarginChange={state1.initMarginChange} commission={state1.commission}")
    ib0 = IB()
    ib0.connect("127.0.0.1", port, clientId=0, timeout=20)
    print("clientId 0 connected; openTrades:", len(ib0.openTrades()), "positions:", len(ib0.positions()))
    ib0.disconnect()
    dup = IB()
    try:
        dup.connect("127.0.0.1", port, clientId=7, timeout=5)
        print("duplicate clientId 7 connected?!", dup.isConnected())
        dup.disconnect()
    except Exception as exc:  # expected: TWS refuses a client id in use (326)
        print("duplicate clientId 7 refused:", type(exc).__name__, exc)

    step("disconnect")
    ib.disconnect()
    print("errors seen:")
    for e in errors:
        print("  ", e)
    print("DONE")
    return 0


if __name__ == "__main__":
    util.logToConsole(level=int(sys.argv[2]) if len(sys.argv) > 2 else 30)
    sys.exit(main())
