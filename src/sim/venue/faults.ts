// Venue-level faults, scripted per session and reproducible from the venue's seed: rejects, silently
// dropped orders, missing acknowledgements, duplicated executions, refused or empty whatIf answers.
import type { Rng } from '../rng.ts';

export interface VenueFaults {
  /** Reject the next N orders (new orders, not modifications or whatIf). */
  readonly rejectNextOrders?: number;
  /** Error code of those rejects (default 201) and its text. */
  readonly rejectCode?: number;
  readonly rejectReason?: string;
  /** Silently drop the next N orders: no events, no order (the paper server's drop). */
  readonly dropNextOrders?: number;
  /** The next N orders work and fill but never get openOrder/orderStatus. */
  readonly dropAcksNextOrders?: number;
  /** Send each execDetails twice (same execId) with this probability (1 = always). */
  readonly duplicateExecProbability?: number;
  /** Refuse every whatIf with error 360. */
  readonly whatIfRefused?: boolean;
  /** Refuse whatIf only for SMART-routed combos (IB's 360 "no whatif check support for smart combo order"). */
  readonly whatIfRefusedSmartCombo?: boolean;
  /** Answer whatIf with a warning and no margin numbers (unset sentinels), as IB sometimes does first. */
  readonly whatIfNoMargin?: boolean;
}

export interface FaultState {
  current(): VenueFaults;
  set(f: VenueFaults): void;
  /** Consumes one reject if any is left. */
  takeReject(): { code: number; reason: string } | null;
  takeDrop(): boolean;
  takeDropAck(): boolean;
  duplicateExec(): boolean;
  whatIfRefused(smartCombo: boolean): boolean;
  whatIfNoMargin(): boolean;
}

export function createFaultState(initial: VenueFaults, rng: Rng): FaultState {
  let faults = initial;
  let rejects = initial.rejectNextOrders ?? 0;
  let drops = initial.dropNextOrders ?? 0;
  let dropAcks = initial.dropAcksNextOrders ?? 0;
  return {
    current: () => ({
      ...faults,
      rejectNextOrders: rejects,
      dropNextOrders: drops,
      dropAcksNextOrders: dropAcks,
    }),
    set(f) {
      faults = f;
      rejects = f.rejectNextOrders ?? 0;
      drops = f.dropNextOrders ?? 0;
      dropAcks = f.dropAcksNextOrders ?? 0;
    },
    takeReject() {
      if (rejects <= 0) return null;
      rejects--;
      return {
        code: faults.rejectCode ?? 201,
        reason: faults.rejectReason ?? 'Order rejected - reason: simulated venue reject',
      };
    },
    takeDrop() {
      if (drops <= 0) return false;
      drops--;
      return true;
    },
    takeDropAck() {
      if (dropAcks <= 0) return false;
      dropAcks--;
      return true;
    },
    duplicateExec() {
      const p = faults.duplicateExecProbability ?? 0;
      // Always draw, so turning the fault on or off never shifts other seeded choices.
      const u = rng.next();
      return p > 0 && u < p;
    },
    whatIfRefused(smartCombo) {
      return faults.whatIfRefused === true || (smartCombo && faults.whatIfRefusedSmartCombo === true);
    },
    whatIfNoMargin: () => faults.whatIfNoMargin === true,
  };
}
