/** Small key → JSON value store for server settings that admins change at run time. */
export interface SettingsRepo {
  get<T>(key: string): Promise<T | null>;
  set(key: string, value: unknown, at: number): Promise<void>;
}
