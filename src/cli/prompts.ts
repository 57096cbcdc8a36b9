import { toInquirer } from '../answers/inquirer.js';
import type { Ask } from '../answers/questions.js';
import { Cancelled } from '../errors.js';
import { messages } from '../messages.js';

/** One key from the terminal, without Enter; Ctrl-C cancels like it does at any question. */
function readKey(): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.once('data', (data: Buffer) => {
      stdin.setRawMode(false);
      stdin.pause();
      const key = data.toString('utf8');
      if (key === '\u0003') reject(new Cancelled());
      else resolve(key);
    });
  });
}

/** Terminal prompts through Yeoman's adapter (inquirer), imported only when someone is actually asked something. */
export async function openTerminalPrompts() {
  const { TerminalAdapter } = await import('@yeoman/adapter');
  const adapter = new TerminalAdapter();
  const ask: Ask = async (question) => {
    if (question.help) adapter.log.info(question.help);
    const answer = (await adapter.prompt([toInquirer(question)] as never)) as { value: unknown };
    return answer.value;
  };
  return {
    ask,
    /** A topic's header, then one key: Enter (or any other key) to answer its questions, d to take their defaults. */
    async topic(title: string): Promise<'answer' | 'defaults'> {
      process.stdout.write(`\n${title}\n? ${messages.topicGate(title)} `);
      const key = await readKey();
      const defaults = key.toLowerCase() === 'd';
      // The answered gate is redrawn like an answered question: ✔ and what was chosen.
      process.stdout.write(`\r\u001b[2K✔ ${title}: ${defaults ? messages.topicDefaults : messages.topicAnswer}\n`);
      return defaults ? 'defaults' : 'answer';
    },
    async confirm(message: string) {
      const answer = (await adapter.prompt([{ type: 'confirm', name: 'value', message, default: true }] as never)) as {
        value: boolean;
      };
      return answer.value;
    },
    close: () => adapter.close(),
  };
}
