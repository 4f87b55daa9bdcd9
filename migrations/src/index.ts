// Every migration, in order. Listed as classes (not a glob) because the API is bundled by webpack.
// A landed migration is never edited: add a new one.
import { Init1764000000000 } from './1764000000000-Init';
import { Reception1764100000000 } from './1764100000000-Reception';
import { PersonSearchPrefix1764200000000 } from './1764200000000-PersonSearchPrefix';

export const migrations = [Init1764000000000, Reception1764100000000, PersonSearchPrefix1764200000000];
