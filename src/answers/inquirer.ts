import type { Question } from './questions.js';

/** An inquirer question for one of ours; the answer is always under `value`. */
export function toInquirer(question: Question): Record<string, unknown> {
  return {
    type: question.type,
    name: 'value',
    message: question.message,
    ...(question.help ? { description: question.help } : {}),
    ...(question.choices
      ? {
          choices: question.choices.map((c) => ({
            name: c,
            value: c,
            checked: Array.isArray(question.default) && question.default.includes(c),
          })),
        }
      : {}),
    ...(question.default !== undefined && question.default !== null
      ? {
          default:
            Array.isArray(question.default) && question.type !== 'checkbox'
              ? question.default.join(',')
              : question.default,
        }
      : {}),
    // @inquirer/checkbox validates the selected choice objects, not their values.
    validate: (value: unknown) =>
      question.validate(
        Array.isArray(value)
          ? value.map((v: unknown) =>
              typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v,
            )
          : value,
      ),
  };
}
