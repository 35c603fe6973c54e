// For tests only: nothing in the app imports this file.
import { vi } from 'vitest';

/**
 * Has `method` on object stores queue its request and then abort the transaction, as a full
 * disk would make it fail, where `refused` says so (once only, with `once`). Restore the
 * stores' own method with the returned spy's `mockRestore`.
 */
export function refuseWrites(
  method: 'add' | 'put',
  {
    once = false,
    refused = () => true,
  }: { once?: boolean; refused?: (store: IDBObjectStore) => boolean } = {},
) {
  const own = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, method)
    ?.value as IDBObjectStore['add'];
  const spy = vi.spyOn(IDBObjectStore.prototype, method);
  const refuse = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
    const request = own.apply(this, args);
    if (refused(this)) this.transaction.abort();
    return request;
  };
  return once ? spy.mockImplementationOnce(refuse) : spy.mockImplementation(refuse);
}
