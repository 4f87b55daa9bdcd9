import { Injectable } from '@nestjs/common';

/**
 * The clock the alerts are computed at ("an alert exists when its gap began more than N days ago").
 * One injectable, so that the integration tests move it (jest.spyOn(clock, 'now')) instead of waiting
 * days; the service's methods also take an explicit `now` (the journal job, the benchmark).
 */
@Injectable()
export class ContinuityClock {
  now(): Date {
    return new Date();
  }
}
