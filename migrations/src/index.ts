// Every migration, in order. Listed as classes (not a glob) because the API is bundled by webpack.
// A landed migration is never edited: add a new one.
import { Init1764000000000 } from './1764000000000-Init';
import { Reception1764100000000 } from './1764100000000-Reception';
import { PersonSearchPrefix1764200000000 } from './1764200000000-PersonSearchPrefix';
import { PersonSearchWords1764250000000 } from './1764250000000-PersonSearchWords';
import { Consent1764300000000 } from './1764300000000-Consent';
import { Retention1764400000000 } from './1764400000000-Retention';
import { Documents1764500000000 } from './1764500000000-Documents';
import { Directory1764600000000 } from './1764600000000-Directory';
import { Referrals1764700000000 } from './1764700000000-Referrals';
import { Referents1764800000000 } from './1764800000000-Referents';
import { Continuity1764900000000 } from './1764900000000-Continuity';
import { IndicatorIndexes1764900000001 } from './1764900000001-IndicatorIndexes';
import { ContinuityGaps1765000000000 } from './1765000000000-ContinuityGaps';
import { ContactInterval1765000000001 } from './1765000000001-ContactInterval';
import { LoadIndexes1765100000000 } from './1765100000000-LoadIndexes';
import { RateLimit1765200000000 } from './1765200000000-RateLimit';

export const migrations = [Init1764000000000, Reception1764100000000, PersonSearchPrefix1764200000000, PersonSearchWords1764250000000, Consent1764300000000, Retention1764400000000, Documents1764500000000, Directory1764600000000, Referrals1764700000000, Referents1764800000000, Continuity1764900000000, IndicatorIndexes1764900000001, ContinuityGaps1765000000000, ContactInterval1765000000001, LoadIndexes1765100000000, RateLimit1765200000000];
