import { toInquirer } from '../answers/inquirer.js';
import type { Ask } from '../answers/questions.js';

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
    async confirm(message: string) {
      const answer = (await adapter.prompt([{ type: 'confirm', name: 'value', message, default: true }] as never)) as {
        value: boolean;
      };
      return answer.value;
    },
    close: () => adapter.close(),
  };
}
