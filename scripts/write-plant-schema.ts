#!/usr/bin/env node
// Writes assets/plant.schema.json from the zod schema, so editors autocomplete and check plant files.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { plantSchema } from '../src-main/common/plant-schema.ts';

const schema = z.toJSONSchema(plantSchema, { io: 'input', unrepresentable: 'any' });
const target = fileURLToPath(new URL('../assets/plant.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify({ ...schema, title: 'Twinline plant file' }, null, 2)}\n`);
console.log(`wrote ${target}`);
