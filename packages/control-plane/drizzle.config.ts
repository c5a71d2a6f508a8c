import { defineConfig } from 'drizzle-kit';

/** Generates SQL migrations from src/db/schema.ts; the control plane applies them at start. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
