// What differs between decision kinds, as a plan the process (decision-process.ts) runs the same way for every kind:
// decide (pay, infer, apply the policy), optionally hold funds before approval, act, and confirm. Each plan is typed by
// its choice, its action and its hold, so what `decide` chose reaches `act` and `confirm` without casts.
import type { FailureCode } from '../src/contracts/decision-outcome';
import type { Compensation } from './saga';

/** What the policy chose: the order's value and counterparty (for approval and the UI) and the plan's own choice. */
export type Decision<Choice> = { orderValue: number; counterparty: string; choice: Choice };

/** A refusal to decide: the decision fails with this code (deciding itself failed) and reason. */
export type DecisionRefusal = {
  code: Extract<FailureCode, 'no_supplier_within_budget' | 'invalid_features'>;
  reason: string;
};

export type Decided<Choice> = ({ ok: true } & Decision<Choice>) | ({ ok: false } & DecisionRefusal);

/** Funds held before approval (procurement: a budget hold), released when the decision is undone or re-held. */
export type FundsHold = { holdId: string; amount: number };

/** The effect of acting (purchase order, tender): its reference, the action published with `decision.acted`, and its undo. */
export type Acted<Action extends { type: string }> = { reference: string; action: Action; undo: Compensation };

export type Funds<Choice, Hold extends FundsHold> = {
  /** Holds the decision's order value; `round` gives a re-hold after an amendment its own identity in the ERP. */
  hold(decision: Decision<Choice>, round: number): Promise<Hold>;
  release(hold: Hold, reason: string): Promise<void>;
};

export type DecisionPlan<
  Choice extends Record<string, unknown>,
  Action extends { type: string },
  Hold extends FundsHold = never,
> = {
  /** Pays for the inferences it needs and applies the policy; `round` is 0, or the number of amendments handled. */
  decide(round: number): Promise<Decided<Choice>>;
  /** Funds to hold before approval; undone on reject, cancel or any rollback. */
  funds?: Funds<Choice, Hold>;
  act(decision: Decision<Choice>, hold: Hold | undefined): Promise<Acted<Action>>;
  confirm(acted: Acted<Action>): Promise<void>;
};
