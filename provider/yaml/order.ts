/**
 * The order to declare resources in: each after the ones it refers to (a reference passes the
 * resource object, so it must exist first). A cycle cannot be declared and is returned instead.
 */
export function dependencyOrder(
  names: readonly string[],
  needs: ReadonlyMap<string, readonly string[]>,
): { order: string[]; cycle?: string[] } {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  let cycle: string[] | undefined;
  const visit = (name: string, trail: string[]): void => {
    if (cycle !== undefined || state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      cycle = [...trail.slice(trail.indexOf(name)), name];
      return;
    }
    state.set(name, "visiting");
    for (const dep of needs.get(name) ?? []) visit(dep, [...trail, name]);
    state.set(name, "done");
    order.push(name);
  };
  // File order where the references allow it, so the plan reads like the file.
  for (const name of names) visit(name, []);
  return cycle !== undefined ? { order, cycle } : { order };
}
