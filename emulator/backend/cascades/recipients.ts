/**
 * A delivery's recipients (`PUT job/recipient/add`, `GET job/recipients`,
 * `DELETE job/recipient`, id = the delivery). Adding one may invite a user or
 * bring a deactivated one back, exactly as a grant does, so it is a cascade.
 */
import { BadRequestError, NotFoundError } from "../../errors";
import { type Ctx, stamp } from "../core/context";
import { resolveUser } from "../core/lookup";
import type { UserDoc } from "../core/model";
import { asData, optBool } from "../core/validate";
import { type DeliveryDoc, type Recipient, managedDelivery, visibleDelivery } from "../entities/deliveries";
import { grantee } from "./grants";

const MAX_IDENT = 320;
/** Recipients live in the delivery's document: a cap keeps every find of it cheap. */
const MAX_RECIPIENTS = 10_000;

function recipientIdent(ctx: Ctx, raw: unknown, allowed: string[]): string {
  const d = asData(raw, ctx.op);
  for (const k of Object.keys(d))
    if (!allowed.includes(k))
      throw new BadRequestError(`Unknown attribute '${k}' for ${ctx.op}; allowed: ${allowed.join(", ")}`);
  const r = d.recipient;
  if (typeof r !== "string" || !r.trim())
    throw new BadRequestError(`${ctx.op}: 'recipient' (a user id or e-mail) is required`);
  if (r.length > MAX_IDENT)
    throw new BadRequestError(`${ctx.op}: 'recipient' is at most ${MAX_IDENT} characters`);
  return r.trim().toLowerCase();
}

function recipientView(ctx: Ctx, r: Recipient): Record<string, unknown> {
  const u = ctx.store.get<UserDoc>("user", r.user);
  return { user: r.user, user_hr: u?.code ?? r.user, actioned: r.actioned, created: r.created };
}

/** `true` while the delivery is not submitted (as the official client documents), else the recipient. */
export function addRecipient(ctx: Ctx, id: unknown, raw: unknown): unknown {
  const d = managedDelivery(ctx, id);
  const ident = recipientIdent(ctx, raw, ["recipient", "invite"]);
  const invite = optBool(asData(raw, ctx.op), "invite", ctx.op);
  const user = grantee(ctx, `user:${ident}`, invite);
  let r = d._recipients.find((x) => x.user === user.id);
  if (!r) {
    if (d._recipients.length >= MAX_RECIPIENTS)
      throw new BadRequestError(`${ctx.op}: a delivery holds at most ${MAX_RECIPIENTS} recipients`);
    r = { user: user.id, actioned: false, created: ctx.now };
    d._recipients.push(r);
    ctx.store.put("delivery", stamp(ctx, d));
  }
  return d.status === "init" ? true : recipientView(ctx, r);
}

export function listRecipients(ctx: Ctx, id: unknown): Record<string, unknown>[] {
  const d: DeliveryDoc = visibleDelivery(ctx, id);
  return d._recipients.map((r) => recipientView(ctx, r));
}

export function removeRecipient(ctx: Ctx, id: unknown, raw: unknown): boolean {
  const d = managedDelivery(ctx, id);
  const ident = recipientIdent(ctx, raw, ["recipient"]);
  const user = resolveUser(ctx.store, ident);
  const i = user ? d._recipients.findIndex((x) => x.user === user.id) : -1;
  if (i < 0) throw new NotFoundError(`${ctx.op}: '${ident}' is not a recipient of delivery ${d.id}`);
  d._recipients.splice(i, 1);
  ctx.store.put("delivery", stamp(ctx, d));
  return true;
}
