import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

// Prisma's official WebAssembly schema engine runs migrations with no native binary download (air-gapped
// municipal networks). Its entry imports the .wasm as an ES module, which Node 20 only allows behind a flag,
// so we instantiate the module ourselves and hand it to the generated glue.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let loaded: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

async function loadEngineModule(): Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> {
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry points; the .wasm sits beside the glue module.
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
  // Node has WebAssembly; the ES lib typings do not declare it.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': glue });
  const g = glue as unknown as { __wbg_set_wasm(w: unknown): void };
  g.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return glue as unknown as typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
}

export async function openSchemaEngine(
  schemaPath: string,
  schemaText: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  loaded ??= loadEngineModule();
  const mod = await loaded;
  return mod.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
