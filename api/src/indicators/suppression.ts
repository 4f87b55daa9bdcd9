import { SECONDARY_SUPPRESSED, SMALL_COUNT_THRESHOLD, SUPPRESSED, type StatCount } from '@passerelle/contracts';

/**
 * Small-count suppression of the statistics shared outside a structure (decision 0015).
 *
 * Primary: a count from 1 to 4 is sent as "< 5" (0 stays 0: an empty cell says nothing about anyone).
 * Complementary: counts linked by an equation the reader knows (parts and their total, a weekly
 * balance…) would let a single hidden member be computed back from the others; whenever exactly one
 * member of such a relation is hidden, the smallest non-zero visible part is hidden too ("secret"),
 * and so on until every relation has none or at least two hidden members.
 * Statistics (rates, medians) computed over fewer than 5 items are null.
 */

/** A count the reader must not see exactly (1 to 4). */
export function isSmallCount(n: number): boolean {
  return n > 0 && n < SMALL_COUNT_THRESHOLD;
}

/** Primary suppression of one count. */
export function suppressCount(n: number): StatCount {
  return isSmallCount(n) ? SUPPRESSED : n;
}

/** A rate or median computed over `denominator` items: null when they are fewer than the threshold. */
export function suppressStatistic(value: number | null, denominator: number): number | null {
  return denominator < SMALL_COUNT_THRESHOLD ? null : value;
}

/** One linear equation between published counts: any member can be computed from the others when they are all visible. */
export interface Relation {
  /** Indices (into the values) of every member, the total included. */
  members: readonly number[];
  /**
   * Members to hide first when a second one must be (the parts, rather than their total). When the
   * total is known from elsewhere (another section, another table), leave it out of `members`: the
   * relation then is "these parts add up to something the reader knows".
   */
  preferred?: readonly number[];
}

type State = 'shown' | 'primary' | 'secondary';

/**
 * Primary and complementary suppression of counts linked by relations. Greedy: for each relation with
 * exactly one hidden member, hide the smallest non-zero visible member (preferred members first, then
 * by value, then by position), and repeat until nothing changes — it terminates, since every step hides
 * one more value. Not optimal (it may hide more than a solver would), and it protects against exact
 * recomputation only: a reader can still bound a hidden value (decision 0015, limits).
 */
export function suppressLinked(values: readonly number[], relations: readonly Relation[]): StatCount[] {
  const state: State[] = values.map((v) => (isSmallCount(v) ? 'primary' : 'shown'));
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of relations) {
      const hidden = relation.members.filter((i) => state[i] !== 'shown');
      if (hidden.length !== 1) continue;
      const preferred = new Set(relation.preferred ?? relation.members);
      const candidates = relation.members
        .filter((i) => state[i] === 'shown' && values[i] !== 0)
        .sort((a, b) => Number(preferred.has(b)) - Number(preferred.has(a)) || values[a] - values[b] || a - b);
      // No visible non-zero member: the hidden one is the only non-zero value of the equation, i.e. a
      // part equal to a hidden total or a total whose parts are all 0 — nothing more can be learnt.
      if (candidates.length === 0) continue;
      state[candidates[0]] = 'secondary';
      changed = true;
    }
  }
  return values.map((v, i) => (state[i] === 'primary' ? SUPPRESSED : state[i] === 'secondary' ? SECONDARY_SUPPRESSED : v));
}

/** Whether a published count is hidden (primary or complementary). */
export function isHidden(count: StatCount): boolean {
  return typeof count !== 'number';
}

/**
 * The counts of one report and the relations between them, declared as the report is built, then
 * disclosed all at once — exactly, or suppressed.
 */
export class CountSheet {
  private readonly values: number[] = [];
  private readonly relations: Relation[] = [];
  private resolved: StatCount[] | null = null;

  /** Adds a count; returns its handle. */
  add(value: number): number {
    if (this.resolved) throw new Error('CountSheet already disclosed');
    this.values.push(value);
    return this.values.length - 1;
  }

  addAll(values: readonly number[]): number[] {
    return values.map((v) => this.add(v));
  }

  /** `parts` add up to `total` (a handle, or omitted when the reader knows the total from elsewhere). */
  sumOf(parts: readonly number[], total?: number): void {
    this.relations.push({ members: total === undefined ? [...parts] : [...parts, total], preferred: parts });
  }

  /** A free relation, e.g. a balance `before + opened = after + closed`. */
  relate(members: readonly number[]): void {
    this.relations.push({ members: [...members] });
  }

  disclose(suppressed: boolean): Disclosed {
    this.resolved ??= suppressed ? suppressLinked(this.values, this.relations) : [...this.values];
    const resolved = this.resolved;
    const values = this.values;
    return {
      suppressed,
      count: (handle) => resolved[handle],
      hidden: (handle) => isHidden(resolved[handle]),
      statistic: (value, over) => {
        if (!suppressed) return value;
        if (over.denominator < SMALL_COUNT_THRESHOLD) return null;
        // A rate beside its published numerator or denominator would give back a hidden count.
        const leaks = (over.linked ?? []).some((l) => (typeof l === 'number' ? isSmallCount(l) : isHidden(resolved[l.handle])));
        return leaks ? null : value;
      },
      exact: (handle) => values[handle],
    };
  }
}

/** A term of a statistic: a published count (its handle), or an unpublished value checked for smallness. */
export type StatisticTerm = number | { handle: number };

export interface Disclosed {
  suppressed: boolean;
  count(handle: number): StatCount;
  hidden(handle: number): boolean;
  /**
   * A rate or median computed over `denominator` items, null when they are too few — and, when
   * suppressing, when one of its `linked` terms (numerator, denominator) is hidden or small.
   */
  statistic(value: number | null, over: { denominator: number; linked?: readonly StatisticTerm[] }): number | null;
  /** The exact value behind a handle (for sorting before display, never sent). */
  exact(handle: number): number;
}
