import type { UserCommand } from '../../domain';

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly inputMode?: 'text' | 'email' | 'decimal';
  readonly placeholder?: string;
}

export interface CommandFormSpec {
  /** The form's accessible name, which is also its submit button's label. */
  readonly title: string;
  readonly hint: string;
  readonly fields: readonly FieldSpec[];
  readonly toCommand: (values: Readonly<Record<string, string>>) => UserCommand;
}

const userId: FieldSpec = { name: 'userId', label: 'User ID', placeholder: 'user123' };
const value = (values: Readonly<Record<string, string>>, name: string) => values[name] ?? '';
/** An id as typed, without the spaces a paste brings around it (ids hold none). */
const idOf = (values: Readonly<Record<string, string>>, name: string) => value(values, name).trim();

/** Digits with a decimal point, as a person writes an amount; anything else is NaN. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * An amount as typed. Only decimal notation counts: Number() alone would also take "0x10"
 * or "1e3". Anything else becomes NaN, which the decider rejects in plain words.
 */
const amountOf = (raw: string): number =>
  DECIMAL.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;

/** The six commands of the user aggregate. Forms only shape input; the decider judges it. */
export const COMMAND_FORMS: readonly CommandFormSpec[] = [
  {
    title: 'Create user',
    hint: 'A new user with a unique email.',
    fields: [
      userId,
      { name: 'email', label: 'Email', inputMode: 'email', placeholder: 'john@example.com' },
      { name: 'name', label: 'Name', placeholder: 'John Doe' },
    ],
    toCommand: (v) => ({
      type: 'CreateUser',
      data: { userId: idOf(v, 'userId'), email: value(v, 'email'), name: value(v, 'name') },
    }),
  },
  {
    title: 'Update email',
    hint: 'Moves the user to the new email and frees the old one.',
    fields: [userId, { name: 'newEmail', label: 'New email', inputMode: 'email' }],
    toCommand: (v) => ({
      type: 'UpdateUserEmail',
      data: { userId: idOf(v, 'userId'), newEmail: value(v, 'newEmail') },
    }),
  },
  {
    title: 'Rename user',
    hint: 'Gives the user a new name.',
    fields: [userId, { name: 'name', label: 'Name' }],
    toCommand: (v) => ({
      type: 'RenameUser',
      data: { userId: idOf(v, 'userId'), name: value(v, 'name') },
    }),
  },
  {
    title: 'Record login',
    hint: 'Counts a login at the current time.',
    fields: [userId],
    toCommand: (v) => ({ type: 'RecordLogin', data: { userId: idOf(v, 'userId') } }),
  },
  {
    title: 'Place order',
    hint: 'An order id is used once per user.',
    fields: [
      userId,
      { name: 'orderId', label: 'Order ID', placeholder: 'order-1' },
      { name: 'amount', label: 'Amount', inputMode: 'decimal', placeholder: '19.99' },
    ],
    toCommand: (v) => ({
      type: 'PlaceOrder',
      data: {
        userId: idOf(v, 'userId'),
        orderId: idOf(v, 'orderId'),
        amount: amountOf(value(v, 'amount')),
      },
    }),
  },
  {
    title: 'Deactivate user',
    hint: 'Ends the user and frees their email.',
    fields: [userId],
    toCommand: (v) => ({ type: 'DeactivateUser', data: { userId: idOf(v, 'userId') } }),
  },
];
