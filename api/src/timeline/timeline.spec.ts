import type { Contact, PersonRequest, TimelineEntry } from '@passerelle/contracts';
import { mergeTimeline } from './timeline';

const contact = (id: string) => ({ id }) as Contact;
const request = (id: string) => ({ id }) as PersonRequest;

describe('mergeTimeline', () => {
  it('merges the sources newest first', () => {
    const contacts: TimelineEntry[] = [
      { kind: 'contact', at: '2026-03-10T09:00:00.000Z', contact: contact('c2') },
      { kind: 'contact', at: '2026-01-05T09:00:00.000Z', contact: contact('c1') },
    ];
    const requests: TimelineEntry[] = [
      { kind: 'request_opened', at: '2026-02-01T09:00:00.000Z', request: request('r1') },
      { kind: 'request_closed', at: '2026-03-11T09:00:00.000Z', request: request('r1') },
    ];
    expect(mergeTimeline([contacts, requests]).map((e) => `${e.kind}@${e.at.slice(0, 10)}`)).toEqual([
      'request_closed@2026-03-11',
      'contact@2026-03-10',
      'request_opened@2026-02-01',
      'contact@2026-01-05',
    ]);
  });

  it('puts a request opened by a contact above that contact (same instant), and compares instants, not strings', () => {
    const at = '2026-03-10T09:00:00.000Z';
    const merged = mergeTimeline([
      [{ kind: 'contact', at, contact: contact('c') }],
      [{ kind: 'request_opened', at: '2026-03-10T10:00:00+01:00', request: request('r') }],
    ]);
    expect(merged.map((e) => e.kind)).toEqual(['request_opened', 'contact']);
    expect(mergeTimeline([])).toEqual([]);
  });
});
