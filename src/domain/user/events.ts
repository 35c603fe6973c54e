/**
 * Events of the user aggregate. Named in the past tense and never removed: a changed
 * shape gets a new schema version and an upcaster (see `upcast.ts`).
 */
export type UserEvent =
  | {
      readonly type: 'UserCreated';
      /**
       * Schema version 2 adds `normalizedEmail`, the address as uniqueness compares it
       * (lower case). Version 1 events stay as they were stored and are upcast on read.
       */
      readonly data: {
        readonly userId: string;
        readonly email: string;
        readonly normalizedEmail: string;
        readonly name: string;
      };
    }
  | {
      readonly type: 'UserEmailUpdated';
      readonly data: {
        readonly userId: string;
        readonly oldEmail: string;
        readonly newEmail: string;
      };
    }
  | {
      readonly type: 'UserRenamed';
      readonly data: {
        readonly userId: string;
        readonly oldName: string;
        readonly newName: string;
      };
    }
  | {
      readonly type: 'UserLoggedIn';
      readonly data: { readonly userId: string; readonly at: string };
    }
  | {
      readonly type: 'OrderPlaced';
      readonly data: { readonly userId: string; readonly orderId: string; readonly amount: number };
    }
  | {
      /** Carries the email it releases, so the event alone says which claim ends. */
      readonly type: 'UserDeactivated';
      readonly data: { readonly userId: string; readonly email: string };
    };

export type UserEventType = UserEvent['type'];

/** The data of an event of type T. */
export type UserEventData<T extends UserEventType> = Extract<
  UserEvent,
  { readonly type: T }
>['data'];

export const USER_EVENT_TYPES: readonly UserEventType[] = [
  'UserCreated',
  'UserEmailUpdated',
  'UserRenamed',
  'UserLoggedIn',
  'OrderPlaced',
  'UserDeactivated',
];

/** The schema version every event type is written with today. */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<UserEventType, number>> = {
  UserCreated: 2,
  UserEmailUpdated: 1,
  UserRenamed: 1,
  UserLoggedIn: 1,
  OrderPlaced: 1,
  UserDeactivated: 1,
};

/** What a user's stream id is made of: this, then the user's id. */
export const USER_STREAM = 'user-';
export const userStreamId = (userId: string): string => `${USER_STREAM}${userId}`;

/** The user whose stream `streamId` is; undefined for a stream of another kind. */
export const userIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(USER_STREAM) ? streamId.slice(USER_STREAM.length) : undefined;

/** Whether `streamId` is the stream of user `userId`; asked of every event of a replay, so
 * it compares in place rather than building the stream id. */
export const isStreamOfUser = (streamId: string, userId: string): boolean =>
  streamId.length === userId.length + USER_STREAM.length &&
  streamId.startsWith(USER_STREAM) &&
  streamId.endsWith(userId);
