// The engine's outgoing HTTP: one lean fetch for its JSON calls to its own services and the chain.
export { closeLeanFetch, leanFetch } from './lean-fetch';
