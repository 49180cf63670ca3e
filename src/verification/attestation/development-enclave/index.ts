// Public surface of the development enclave: a stand-in for Nitro hardware, refused in production.
export { ensureDevelopmentRoot, developmentRootDir, type DevelopmentRoot } from './root';
export { createDevelopmentEnclave, type EnclaveAttester, type DevelopmentEnclaveOptions } from './enclave';
export {
  developmentPcrs,
  measureFiles,
  NODE_CODE_DIRECTORIES,
  type DevelopmentMeasurements,
  type MeasuredFile,
} from './measurements';
export { createRootCa, issueLeaf, type CertifiedKey } from './certificates';
