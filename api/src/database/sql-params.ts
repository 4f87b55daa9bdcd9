import type { SqlCondition } from '../persons/person-access.service';

/** Positional parameters of one statement, numbered as they are added. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A condition of the access policy built for the next parameter number; its parameters are appended. */
  splice(build: (firstParam: number) => SqlCondition): string {
    const condition = build(this.values.length + 1);
    this.values.push(...condition.params);
    return condition.sql;
  }
}
