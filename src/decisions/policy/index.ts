// Public surface of the decision policies: pure functions, imported by workflows.
export * from './procurement';
export * from './routing';
