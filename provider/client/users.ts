/**
 * Users as references: what a grant or a home needs to name a user (their id, their e-mail, whether they are
 * deactivated), answered without reading the user list again where this client's own writes already tell.
 */
import { isId } from "../vocabulary";
import { Entities } from "./entities";
import { grantedUser } from "./list-edits";
import { Session } from "./session";

/** A user as a reference to them needs them. */
export interface UserRef {
  id: string;
  /** The user's e-mail (accsyn's code for users); absent when only the id is known. */
  code?: string;
  inactive: boolean;
}

export class Users {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /**
   * The user with this id or e-mail (case-insensitive), inactive ones included; undefined when there is none.
   * A user a grant of this client just invited or brought back is answered from what that grant told (active,
   * with the id its ACL named): their entry is in doubt, but not in any way a reference depends on, so checks
   * of further grants to a new invitee read nothing. Any other user comes from the held or read user list.
   */
  async findRef(idOrEmail: string): Promise<UserRef | undefined> {
    const key = idOrEmail.trim().toLowerCase();
    const granted = grantedUser(this.s.suspected("User").get(key));
    if (granted !== undefined)
      return {
        id: granted.id,
        ...(granted.email !== undefined ? { code: granted.email } : {}),
        inactive: false,
      };
    const user = isId(key)
      ? await this.entities.lookupById("User", key, { inactive: true })
      : await this.entities.lookupByCode("User", key, { inactive: true });
    if (user === undefined) return undefined;
    return { id: user.id, code: user.code, inactive: user.inactive === true };
  }
}
