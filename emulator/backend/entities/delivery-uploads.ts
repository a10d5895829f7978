/**
 * Uploads into a delivery (`transfer/create` with `parent` = the delivery, as
 * the official suite's test_upload_file_to_temp_delivery does): a transfer job
 * from the caller's machine to the delivery's folder on the default volume,
 * counted as the delivery's files once done. accsyn-local moves no bytes, so an
 * upload is done only when the control plane advances it; until then a submit
 * is refused, as the service refuses a delivery whose files have not arrived.
 */
import { BadRequestError, ConflictError } from "../../errors";
import type { Ctx } from "../core/context";
import { defaultVolume } from "../core/lookup";
import { type DeliveryDoc, managedDelivery } from "./deliveries";

/** The delivery a new upload goes to and its destination on accsyn notation. */
export function deliveryUpload(ctx: Ctx, parent: unknown): { delivery: DeliveryDoc; destination: string } {
  if (typeof parent !== "string") throw new BadRequestError(`${ctx.op}: 'parent' must be a delivery id`);
  const delivery = managedDelivery(ctx, parent);
  if (delivery.status !== "init")
    throw new ConflictError(
      `${ctx.op}: delivery ${delivery.id} is ${delivery.status}; files are added before submit`,
    );
  const vol = defaultVolume(ctx.store);
  if (!vol) throw new ConflictError(`${ctx.op}: the workspace has no default volume to hold the delivery`);
  return { delivery, destination: `volume=${vol.code}/deliveries/${delivery.id}/` };
}
