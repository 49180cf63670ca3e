// The committed JSON Schemas are the ones generated from the zod contracts (run `npm run contracts:schemas`).
import fs from 'node:fs';
import path from 'node:path';
import { renderJsonSchemas } from '../../../src/contracts/json-schema';

const dir = path.resolve(__dirname, '../../../schemas');

it.each(Object.entries(renderJsonSchemas()))('schemas/%s is up to date', (file, text) => {
  expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(text);
});

it('describes the CloudEvents envelope of logistics events with their types', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'logistics-event.schema.json'), 'utf8')) as {
    oneOf?: Array<{ properties: { type: { const: string } } }>;
    anyOf?: Array<{ properties: { type: { const: string } } }>;
  };
  const variants = schema.oneOf ?? schema.anyOf ?? [];
  expect(variants.map((v) => v.properties.type.const).sort()).toEqual([
    'requisition.cancelled',
    'requisition.created',
    'shipment.cancelled',
    'shipment.ready',
  ]);
});
