// Writes schemas/plan.schema.json from planSchema (src/plan-schema.ts), the one description of
// the plan format. Run after changing the schema: pnpm --filter @asrq/quantize schema
import { writeFile } from 'node:fs/promises';
import { planSchemaJson } from '../src/plan-schema-file.js';

await writeFile(new URL('../schemas/plan.schema.json', import.meta.url), planSchemaJson());
