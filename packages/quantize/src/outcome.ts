/** What happened to one node the plan selected. */
export interface NodeOutcome {
  node: string;
  opType: string;
  modulePath: string;
  mode: 'dynamic' | 'static';
  status: 'quantized' | 'skipped';
  /** Why a node was left in float (e.g. its second input is not a constant weight). */
  reason?: string;
  /** Something the rule asked for that this node got differently (e.g. int8 where int4 was asked). */
  note?: string;
}
