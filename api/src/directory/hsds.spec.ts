import { e164, schedulesOf, stableUuid } from './hsds';

describe('HSDS export helpers', () => {
  it('derives stable version-5-shaped UUIDs from their parts', () => {
    const id = stableUuid('service-1', 'phone');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('service-1', 'phone')).toBe(id);
    expect(stableUuid('service-1', 'phon', 'e')).not.toBe(id);
  });

  it('writes French numbers in E.164', () => {
    expect(e164('0492000000')).toBe('+33492000000');
    expect(e164('3949')).toBe('3949');
  });

  it('turns simple opening hours into weekly schedules, and keeps others as a description', () => {
    const schedules = schedulesOf('Mo-We,Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00', { service_id: 's' }, 's');
    expect(schedules.map((s) => [s['freq'], s['byday'], s['opens_at'], s['closes_at']])).toEqual([
      ['WEEKLY', 'MO,TU,WE,FR', '08:30', '12:00'],
      ['WEEKLY', 'MO,TU,WE,FR', '13:30', '17:00'],
      ['WEEKLY', 'SA', '09:00', '12:00'],
    ]);
    expect(new Set(schedules.map((s) => s['id'])).size).toBe(3);
    const complex = schedulesOf('Mo-Fr 09:00-12:00; PH off', { location_id: 'l' }, 'l');
    expect(complex).toEqual([{ id: expect.any(String), location_id: 'l', description: expect.stringContaining('Mo-Fr 09:00-12:00; PH off') }]);
    expect(schedulesOf(null, {}, 'x')).toEqual([]);
  });
});
