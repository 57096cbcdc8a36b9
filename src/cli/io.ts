import type { Ask } from '../answers/questions.js';

/** What a command may do with the terminal: the one seam between the commands and the process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person can answer questions. */
  interactive: boolean;
  /** Whether output may be coloured (NO_COLOR, FORCE_COLOR, a terminal). */
  color?: boolean;
  /** Opens the terminal prompts; loaded only when a question is actually asked. */
  openPrompts?: () => Promise<Prompts>;
}

export interface Prompts {
  ask: Ask;
  /** Shows a topic's header and lets a person take all its defaults with one key. */
  topic?(title: string): Promise<'answer' | 'defaults'>;
  confirm(message: string): Promise<boolean>;
  close(): void;
}
