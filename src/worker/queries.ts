import type { EventStore } from '../eventstore';
import {
  PROJECTION_NAMES as ALL,
  type DomainMember,
  type ProjectionName,
  type UserActivity,
  type UserProfile,
} from '../projections';
import { EVERY_STREAM, type ProjectionEngine } from './engine';
import type { ProjectionFixture, Query, UserDetail, WindowPatch } from './protocol';
import type { Timeline } from './timeline';
import {
  evaluateTimeline,
  exportFixture,
  TextFilterCache,
  type Evaluated,
  type WindowRow,
} from './timelineQueries';
import { userIdOfStream, userStreamId } from '../domain';
import { joinUser, membersOfDomain, SortedUsers, type UserModels } from './userRows';

interface Subscription {
  readonly subId: string;
  version: number;
  query: Query;
  sent: Map<string, readonly unknown[]>;
  /** The users in the order of the last users query, kept while its filter and sort stay. */
  sorted: { readonly signature: string; readonly users: SortedUsers } | null;
  /** The streams changed since `sorted` was last brought up to date. */
  readonly changedStreams: Set<string>;
  /** An answer is being made; `again`: the window was marked meanwhile, for after it. */
  answering: boolean;
  again: boolean;
}

const DEPENDS_ON: Readonly<Record<Query['kind'], readonly ProjectionName[]>> = {
  users: ['userProfiles', 'activitySummary'],
  usersInDomain: ['usersByDomain', 'userProfiles'],
  user: ['userProfiles', 'activitySummary'],
  timelineEvents: ALL,
  timelineModel: ALL,
  timelineChanges: ALL,
  timelineEvent: ALL,
  whatIf: ALL,
  blame: ALL,
  rejections: [],
  density: ALL,
};
const TIMELINE_KINDS: ReadonlySet<Query['kind']> = new Set([
  'timelineEvents',
  'timelineModel',
  'timelineChanges',
  'timelineEvent',
  'whatIf',
  'blame',
  'density',
]);

/**
 * The windows views draw, answered from the worker's read models. A window is re-evaluated
 * only when a read model it depends on changed, and what is sent is a patch: the rows that
 * are new or changed (upserts), the keys that left (deletes), and the order.
 */
export class QueryHub {
  private readonly subs = new Map<string, Subscription>();
  private readonly dirty = new Set<string>();

  private readonly textFilter = new TextFilterCache();

  /** A projection test for positions from..to, from the timeline's fold. */
  exportFixture(from: number, to: number): Promise<ProjectionFixture> {
    return exportFixture(this.timeline, this.events, from, to);
  }

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly events: Pick<
      EventStore,
      'readStream' | 'readFrom' | 'readRun' | 'readRejections' | 'commandAt'
    >,
    private readonly timeline: Timeline,
    private readonly emit: (patch: WindowPatch) => void,
  ) {}

  subscribe(subId: string, version: number, query: Query): void {
    const existing = this.subs.get(subId);
    if (existing !== undefined && existing.version > version) return; // a stale request
    const sub: Subscription = existing ?? {
      subId,
      version,
      query,
      sent: new Map(),
      sorted: null,
      changedStreams: new Set(),
      answering: false,
      again: false,
    };
    sub.version = version;
    sub.query = query;
    this.subs.set(subId, sub);
    this.dirty.add(subId);
  }

  unsubscribe(subId: string): void {
    this.subs.delete(subId);
    this.dirty.delete(subId);
  }

  /** Marks the windows that depend on what changed; `flush` answers them. */
  changed(
    projections: ReadonlySet<ProjectionName>,
    streams: ReadonlySet<string> | typeof EVERY_STREAM,
  ): void {
    for (const sub of this.subs.values()) {
      // The timeline follows the whole log: any new event may change its windows.
      const touched =
        TIMELINE_KINDS.has(sub.query.kind) ||
        DEPENDS_ON[sub.query.kind].some((p) => projections.has(p));
      const ownStream =
        sub.query.kind === 'user' &&
        (streams === EVERY_STREAM || streams.has(userStreamId(sub.query.userId)));
      if (!touched && !ownStream) continue;
      this.dirty.add(sub.subId);
      if (sub.sorted === null) continue;
      if (streams === EVERY_STREAM) {
        sub.sorted = null;
        sub.changedStreams.clear();
        continue;
      }
      for (const stream of streams) sub.changedStreams.add(stream);
    }
  }

  /** A refused command was kept: the rejection lanes are answered again. */
  rejectionsChanged(): void {
    for (const sub of this.subs.values())
      if (sub.query.kind === 'rejections') this.dirty.add(sub.subId);
  }

  hasPending(): boolean {
    return this.dirty.size > 0;
  }

  async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const subId of ids) {
      const sub = this.subs.get(subId);
      if (sub === undefined) continue;
      // Two answers to one window at once would both diff against what it was last sent, and
      // the slower, older one could land last: this one is made once that one is sent.
      if (sub.answering) {
        sub.again = true;
        continue;
      }
      sub.answering = true;
      try {
        const { version } = sub;
        const evaluated = await this.evaluate(sub);
        if (this.subs.get(subId) !== sub || sub.version !== version) continue; // superseded
        this.emit(this.patch(sub, evaluated));
      } finally {
        sub.answering = false;
        if (sub.again) {
          sub.again = false;
          this.dirty.add(subId);
        }
      }
    }
  }

  private patch(sub: Subscription, evaluated: Evaluated): WindowPatch {
    const upserts: (readonly [string, unknown])[] = [];
    const next = new Map<string, readonly unknown[]>();
    for (const { key, row, sources } of evaluated.rows) {
      const before = sub.sent.get(key);
      if (before === undefined || before.some((s, i) => s !== sources[i])) upserts.push([key, row]);
      next.set(key, sources);
    }
    const deletes = [...sub.sent.keys()].filter((key) => !next.has(key));
    sub.sent = next;
    return {
      type: 'window',
      subId: sub.subId,
      version: sub.version,
      total: evaluated.total,
      offset: evaluated.offset,
      keys: evaluated.rows.map((r) => r.key),
      upserts,
      deletes,
    };
  }

  private models(): UserModels {
    const model = (name: ProjectionName) => this.engine.runners.get(name)?.model ?? new Map();
    return {
      profiles: model('userProfiles') as ReadonlyMap<string, UserProfile>,
      activity: model('activitySummary') as ReadonlyMap<string, UserActivity>,
      byDomain: model('usersByDomain') as ReadonlyMap<string, DomainMember>,
    };
  }

  private async evaluate(sub: Subscription): Promise<Evaluated> {
    const models = this.models();
    const { query } = sub;
    switch (query.kind) {
      case 'users': {
        const signature = `${query.filter}\u0000${query.sort.column}\u0000${String(query.sort.descending)}`;
        if (sub.sorted?.signature !== signature) {
          sub.sorted = { signature, users: new SortedUsers(models, query.filter, query.sort) };
        } else if (sub.changedStreams.size > 0) {
          sub.sorted.users.update(models, usersOf(sub.changedStreams));
        }
        sub.changedStreams.clear();
        const ids = sub.sorted.users.slice(query.offset, query.limit);
        return {
          total: sub.sorted.users.size,
          offset: query.offset,
          rows: ids.flatMap((id) => userRow(models, id)),
        };
      }
      case 'usersInDomain': {
        const members = membersOfDomain(models, query.domain);
        const rows = members.slice(query.offset, query.offset + query.limit).map((m) => {
          const profile = models.profiles.get(m.userId);
          return { key: m.userId, row: { ...m, name: profile?.name ?? '' }, sources: [m, profile] };
        });
        return { total: members.length, offset: query.offset, rows };
      }
      case 'user': {
        const events = await this.events.readStream(userStreamId(query.userId));
        const [joined] = userRow(models, query.userId);
        const detail: UserDetail = {
          row: (joined?.row as UserDetail['row'] | undefined) ?? null,
          events: events.map((e) => ({
            position: e.position,
            version: e.version,
            type: e.type,
            recordedAt: e.metadata.recordedAt,
            data: e.data,
          })),
        };
        const sources = [...(joined?.sources ?? [null, null]), events.length];
        return { total: 1, offset: 0, rows: [{ key: query.userId, row: detail, sources }] };
      }
      case 'rejections': {
        const records = await this.events.readRejections(query.limit);
        const rows = records.map((r) => ({ key: String(r.id), row: r, sources: [r.id] }));
        return { total: rows.length, offset: 0, rows };
      }
      case 'timelineEvents':
      case 'timelineModel':
      case 'timelineChanges':
      case 'timelineEvent':
      case 'whatIf':
      case 'blame':
      case 'density':
        return evaluateTimeline(this.timeline, this.events, query, this.textFilter);
    }
  }
}

function usersOf(streams: ReadonlySet<string>): Set<string> {
  const users = new Set<string>();
  for (const stream of streams) {
    const userId = userIdOfStream(stream);
    if (userId !== undefined) users.add(userId);
  }
  return users;
}

function userRow(models: UserModels, id: string): WindowRow[] {
  const profile = models.profiles.get(id);
  if (profile === undefined) return [];
  const activity = models.activity.get(id);
  return [{ key: id, row: joinUser(profile, activity), sources: [profile, activity] }];
}
