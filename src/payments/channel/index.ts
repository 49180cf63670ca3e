// Public surface of channel mode (x402 batch-settlement): the payer's channel book and client scheme, the node's
// checks and charge book.
export { createChannelPayer, channelSaltOf, BATCH_SETTLEMENT, type ChannelPayer } from './channel-payer';
export { IdempotentChannelEvmScheme } from './client-scheme';
export { planCharge, emptyClientChannelBook, recordCharge, type ChannelCharge, type ChargePlan } from './client-ledger';
export { createChannelGate, channelMismatch, type ChannelGate, type ChannelOffer } from './channel-gate';
export { openNodeChannelBook, refusalOf, type NodeChannelBook, type NodeChargeRefusal } from './node-book';
