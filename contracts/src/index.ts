// Request/response types and vocabularies shared by the API and the web app.
// Written once here; the API's DTO classes implement these interfaces and the web imports them.
export * from './lib/roles';
export * from './lib/errors';
export * from './lib/auth';
export * from './lib/territory';
export * from './lib/structures';
export * from './lib/agents';
export * from './lib/password-policy';
export * from './lib/needs';
export * from './lib/persons';
export * from './lib/contacts';
export * from './lib/consents';
export * from './lib/documents';
export * from './lib/erasure';
export * from './lib/directory';
export * from './lib/referrals';
export * from './lib/referents';
export * from './lib/notifications';
export * from './lib/continuity';
export * from './lib/indicators';
