// Data source for the TypeORM CLI (npm run migration:run | migration:revert | migration:show).
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

const config = loadConfig(process.env);
if (!config.DATABASE_URL) {
  throw new Error('DATABASE_URL est requis pour le CLI des migrations (npm start applique les migrations à la base embarquée).');
}
export default new DataSource(dataSourceOptions(config.DATABASE_URL));
