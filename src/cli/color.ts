// NO_COLOR (https://no-color.org) and FORCE_COLOR, read the way Node reads them for its own output: FORCE_COLOR
// wins when set ("0" or "false" turn colour off), else a non-empty NO_COLOR turns it off, else a terminal gets it.

export function colorWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

// Select Graphic Rendition only (colours, bold); cursor movement, which the prompts redraw with, is kept.
const SGR = /\x1b\[[0-9;]*m/g;

export function stripColor(text: string): string {
  return text.replace(SGR, '');
}

/**
 * Removes colour from everything a stream is given: the prompts (inquirer, Node's styleText on Node 20) colour
 * regardless of NO_COLOR, so the stream is where the choice is enforced.
 */
export function uncolorStream(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(
      typeof chunk === 'string'
        ? stripColor(chunk)
        : Buffer.isBuffer(chunk)
          ? stripColor(chunk.toString('utf8'))
          : chunk,
      ...rest,
    )) as typeof stream.write;
}

export const bold = (on: boolean) => (text: string) => (on ? `\x1b[1m${text}\x1b[22m` : text);
