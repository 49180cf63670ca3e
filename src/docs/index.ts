// Public surface of docs generation: README sections made from code.
export { rewriteMarkedSection, withMarkedSection } from './readme-section';
