// Public surface of the contracts: every message that crosses a process boundary, as a zod schema with its type.
export * from './receipt';
export * from './inference-http';
export * from './facilitator-http';
export * from './chain-deployment';
export * from './verdict';
export * from './verdict-signature';
export * from './proof';
// Search attribute keys keep their own module (their names collide with the decision types): import './search-attributes'.
// Decision messages (updates, signals, queries) too, so that processes that never talk to Temporal do not load
// @temporalio/workflow: import './decision-messages'.
export * from './logistics';
export * from './events';
export * from './decision';
export * from './decision-outcome';
export * from './back-office';
export * from './canonical-json';
export * from './channel';
