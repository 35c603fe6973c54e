export type UserCommand =
  | {
      readonly type: 'CreateUser';
      readonly data: { readonly userId: string; readonly email: string; readonly name: string };
    }
  | {
      readonly type: 'UpdateUserEmail';
      readonly data: { readonly userId: string; readonly newEmail: string };
    }
  | {
      readonly type: 'RenameUser';
      readonly data: { readonly userId: string; readonly name: string };
    }
  | { readonly type: 'RecordLogin'; readonly data: { readonly userId: string } }
  | {
      readonly type: 'PlaceOrder';
      readonly data: { readonly userId: string; readonly orderId: string; readonly amount: number };
    }
  | { readonly type: 'DeactivateUser'; readonly data: { readonly userId: string } };
