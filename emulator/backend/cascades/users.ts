/** User (de)activation with its cascade: "Home shares cannot be deactivated, deactivate the user instead". */
import { BadRequestError } from "../../errors";
import { type Ctx, requireRole, stamp } from "../core/context";
import type { ShareDoc } from "../core/model";
import { getUser } from "../entities/users";

export function setUserActive(ctx: Ctx, id: unknown, query: unknown, active: boolean): boolean {
  requireRole(ctx, ["admin"]);
  const u = getUser(ctx, id ?? query);
  if (u.id === ctx.actor.id && !active) throw new BadRequestError("You cannot deactivate yourself");
  if (u.inactive === !active) return true;
  u.inactive = !active;
  ctx.store.put("user", stamp(ctx, u));
  for (const h of ctx.store.list<ShareDoc>("share")) {
    if (h.type !== "home" || h.user !== u.id || h._deleted) continue;
    if (!active && !h.inactive) {
      h.inactive = true;
      h._archivedWith = u.id;
    } else if (active && h._archivedWith === u.id) {
      h.inactive = false;
      delete h._archivedWith;
    } else continue;
    ctx.store.put("share", stamp(ctx, h));
  }
  return true;
}
