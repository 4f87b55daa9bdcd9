// TypeORM CLI on the shared data source (api/src/database/cli-data-source.ts), with the workspace's
// TypeScript path aliases. Usage: npm run migration:run | migration:revert | migration:show
// (DATABASE_URL required), or: node scripts/typeorm.cjs migration:create migrations/src/Name
const { resolve } = require('node:path');
const root = resolve(__dirname, '..');
process.env.TS_NODE_PROJECT = resolve(root, 'api/tsconfig.app.json');
require('ts-node').register({ project: process.env.TS_NODE_PROJECT, transpileOnly: true });
const base = require(resolve(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: base.compilerOptions.paths });
const [command, ...rest] = process.argv.slice(2);
const needsDataSource = command && !['migration:create'].includes(command);
process.argv = [process.argv[0], 'typeorm', command, ...rest, ...(needsDataSource ? ['-d', resolve(root, 'api/src/database/cli-data-source.ts')] : [])];
require('typeorm/cli.js');
