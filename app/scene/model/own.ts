/**
 * Table lookups by names that come from scripts. `table[name]` on an object
 * literal finds `constructor`, `toString`, ... through the prototype; this
 * finds only the table's own entries (INT8).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
