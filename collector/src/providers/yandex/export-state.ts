/**
 * What the previous syncs already read from the export: object key → ETag, carried between syncs through
 * `ctx.state` / `nextState()`. An object whose ETag is unchanged is not downloaded again; a re-exported
 * file gets a new ETag and its day is read and replaced. The state is scoped to the bucket and prefix, so
 * pointing a connection at another export starts from scratch. Only objects whose day was fully read and
 * handed to the engine are recorded; a day that failed stays unrecorded and is read again next time.
 */
import type { ExportObject } from './export-store.js';
import { asObject, isObject } from './values.js';

const STATE_KEY = 'yandexExport';
const VERSION = 1;

export class ExportState {
  private readonly previous = new Map<string, string>();
  private readonly read = new Map<string, string>();
  private listed?: ExportObject[];
  private horizonDay?: string;

  constructor(
    state: Record<string, unknown>,
    private readonly scope: string
  ) {
    const saved = asObject(state[STATE_KEY]);
    if (saved.v !== VERSION || saved.scope !== scope || !isObject(saved.objects)) return;
    for (const [key, etag] of Object.entries(saved.objects)) if (typeof etag === 'string') this.previous.set(key, etag);
  }

  /** True when this exact version of the object was read by an earlier sync. */
  unchanged(object: ExportObject): boolean {
    return this.previous.get(object.key) === object.etag;
  }

  /** The listing this sync saw, and the oldest day still worth remembering. */
  setListing(objects: ExportObject[], horizonDay: string): void {
    this.listed = objects;
    this.horizonDay = horizonDay;
  }

  markRead(key: string, etag: string): void {
    this.read.set(key, etag);
  }

  /**
   * The state for the next sync: what was read now, plus what earlier syncs read of objects that are
   * still listed and not older than the backfill horizon (so the state never grows without bound).
   */
  next(): Record<string, unknown> {
    const objects: Record<string, string> = {};
    if (this.listed === undefined) {
      for (const [key, etag] of this.previous) objects[key] = etag;
    } else {
      for (const object of this.listed) {
        if (object.day !== undefined && this.horizonDay !== undefined && object.day < this.horizonDay) continue;
        const etag = this.read.get(object.key) ?? this.previous.get(object.key);
        if (etag !== undefined) objects[object.key] = etag;
      }
    }
    for (const [key, etag] of this.read) objects[key] ??= etag;
    return { [STATE_KEY]: { v: VERSION, scope: this.scope, objects } };
  }
}
