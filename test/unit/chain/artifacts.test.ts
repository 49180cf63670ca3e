// The committed contract artifacts are exactly what the build makes from solidity/: recompiling yields the same modules,
// so the engine can run without solc and still deploy the contracts its sources describe.
import fs from 'node:fs';
import path from 'node:path';
import { decodeFunctionResult, encodeFunctionData } from 'viem';
import { CONTRACT_ARTIFACTS, CONTRACT_BUILD } from '../../../src/chain';
import { ARTIFACTS_DIR, compileContracts, renderArtifactModules } from '../../../src/chain/compile';

jest.setTimeout(60_000);

it('matches a fresh compile of solidity/ byte for byte (run `npm run contracts:build` after changing a contract)', () => {
  const compiled = compileContracts();
  const modules = renderArtifactModules(compiled);
  expect(Object.keys(modules).sort()).toEqual(fs.readdirSync(ARTIFACTS_DIR).sort());
  for (const [file, text] of Object.entries(modules))
    expect({ file, text: fs.readFileSync(path.join(ARTIFACTS_DIR, file), 'utf8') }).toEqual({ file, text });
  expect(CONTRACT_BUILD.sourceHash).toBe(compiled.sourceHash);
});

it('types the ABIs as constants, so calls are encoded by name with checked arguments', () => {
  const data = encodeFunctionData({
    abi: CONTRACT_ARTIFACTS.SettlementRegistry.abi,
    functionName: 'commitBatch',
    args: [`0x${'ab'.repeat(32)}`, 3],
  });
  expect(data.slice(0, 10)).toMatch(/^0x[0-9a-f]{8}$/);
  const misspelled = () =>
    encodeFunctionData({
      abi: CONTRACT_ARTIFACTS.SettlementRegistry.abi,
      // @ts-expect-error: a misspelled function is a type error now that the ABI is `as const`.
      functionName: 'commitBatches',
      args: [],
    });
  expect(misspelled).toThrow();
  const decimals = decodeFunctionResult({
    abi: CONTRACT_ARTIFACTS.ProofpathToken.abi,
    functionName: 'decimals',
    data: `0x${'0'.repeat(62)}06`,
  });
  expect(decimals).toBe(6);
});
