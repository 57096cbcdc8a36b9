/** One broken rule in a repository: the rule, the file and line, what is wrong and how to fix it. */
export interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  file: string;
  line: number;
  message: string;
  fix: string;
}

export type Files = ReadonlyMap<string, string>;
