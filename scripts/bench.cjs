// Runs a TypeScript benchmark from api/bench/ with the workspace's path aliases.
// Usage: node scripts/bench.cjs api/bench/<name>.bench.ts [args…]
const { resolve } = require('node:path');
const root = resolve(__dirname, '..');
require('ts-node').register({ project: resolve(root, 'api/tsconfig.app.json'), transpileOnly: true });
const base = require(resolve(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: base.compilerOptions.paths });
require('reflect-metadata');
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
require(resolve(root, script));
