import type { UserChange } from "../../models/index.ts";

/**
 * The users that writes named since a copy last read them again, by `_id` and by Telegram id
 * (a write by `telegramId` may not say the `_id`). The user cache and the curators' copy keep
 * them from the user model's change notifications.
 */
export class UserMarks {
  private readonly ids = new Set<string>();
  private readonly telegramIds = new Set<number>();

  /** Marks the users `change` names; false when it names none in particular (a write of unknown scope: reload everything). */
  add(change: UserChange): boolean {
    if (change === "all") return false;
    for (const id of change.ids) this.ids.add(id);
    for (const tg of change.telegramIds) this.telegramIds.add(tg);
    return true;
  }

  get any(): boolean {
    return this.ids.size > 0 || this.telegramIds.size > 0;
  }

  /** The marks, which are cleared. */
  take(): { ids: string[]; telegramIds: number[] } {
    const out = { ids: [...this.ids], telegramIds: [...this.telegramIds] };
    this.clear();
    return out;
  }

  clear(): void {
    this.ids.clear();
    this.telegramIds.clear();
  }
}
