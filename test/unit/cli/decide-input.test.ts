// What `decide --file` accepts: a whole logistics event, or the bare requisition/shipment wrapped in a new event.
import fs from 'node:fs';
import path from 'node:path';
import { parseDecideInput } from '../../../src/cli/decide-input';
import { InvalidInputError } from '../../../src/cli/errors';
import { LogisticsEventSchema } from '../../../src/contracts/events';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const source = {
  file: 'input.json',
  newEventId: () => 'cli-fixed-id',
  now: () => new Date('2026-12-01T10:00:00.000Z'),
};
const example = (name: string) => fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

function invalid(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('parseDecideInput', () => {
  it('takes a full requisition.created event as written, keyed by its requisition', () => {
    const text = example('requisition-created.json');
    const input = parseDecideInput('procurement', text, source);
    expect(input).toMatchObject({
      kind: 'procurement',
      key: 'REQ-1001',
      decisionId: 'procurement-REQ-1001',
      wrapped: false,
    });
    expect(JSON.parse(input.value)).toEqual(JSON.parse(text));
  });

  it('takes a full shipment.ready event for routing', () => {
    expect(parseDecideInput('routing', example('shipment-ready.json'), source)).toMatchObject({
      kind: 'routing',
      decisionId: expect.stringMatching(/^routing-/),
      wrapped: false,
    });
  });

  it('wraps a bare requisition in a valid requisition.created event with a fresh id and the time', () => {
    const data = (JSON.parse(example('requisition-created.json')) as { data: unknown }).data;
    const input = parseDecideInput('procurement', JSON.stringify(data), source);
    expect(input.wrapped).toBe(true);
    const event = LogisticsEventSchema.parse(JSON.parse(input.value));
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'cli-fixed-id',
      type: 'requisition.created',
      subject: 'REQ-1001',
      time: '2026-12-01T10:00:00.000Z',
      source: 'urn:proofpath:cli',
    });
    expect(event.data).toEqual(data);
  });

  it('refuses an event of the other kind, saying which type is needed', () => {
    expect(invalid(() => parseDecideInput('routing', example('requisition-created.json'), source))).toBe(
      'input.json is a requisition.created event; `decide routing` needs shipment.ready',
    );
  });

  it('lists every invalid field of bare data by path', () => {
    const message = invalid(() =>
      parseDecideInput(
        'procurement',
        JSON.stringify({
          requisitionId: 'REQ-9',
          itemSku: 'X',
          demandHistory: [],
          neededBy: 'tomorrow',
          budget: { amount: 1, currency: 'USDC' },
          candidates: [],
          quantity: 5,
        }),
        source,
      ),
    );
    expect(message).toMatch(/^input.json \(as a requisition\) is invalid:/);
    expect(message).toContain('neededBy: must be an ISO 8601 date or date-time with offset');
    expect(message).toContain('candidates: must list at least one supplier');
  });

  it('refuses text that is not a JSON object', () => {
    expect(invalid(() => parseDecideInput('procurement', '{oops', source))).toMatch(/^input.json is not JSON/);
    expect(invalid(() => parseDecideInput('procurement', '[1,2]', source))).toBe('input.json must hold a JSON object');
  });
});
