/** One numbered schema change. Ids are applied in ascending order, each exactly once. */
export interface Migration {
  /** Unique, ascending; never renumber or edit an applied migration, add a new one. */
  readonly id: number;
  /** kebab-case label, stored for humans. */
  readonly name: string;
  /** One or more SQL statements, run inside the migration transaction. */
  readonly sql: string;
}
