import {
  type Document,
  LineCounter,
  type Node,
  type Pair,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
} from "yaml";
import type { WorkspaceIssue } from "./errors";

/** A path into the document: map keys and list indexes. */
export type YamlPath = readonly (string | number)[];

/** What an issue says, without its position (the source adds it). */
export type Finding = Omit<WorkspaceIssue, "file" | "line" | "column">;

/**
 * A parsed workspace file that knows where each value is, so every finding can name its line and
 * column, and that collects the findings so all of them are reported together.
 */
export class Source {
  readonly doc: Document;
  readonly issues: WorkspaceIssue[] = [];
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const lines = text.split("\n");
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      const at = this.lines.linePos(e.pos[0]);
      this.issues.push({
        file,
        line: at.line,
        column: at.col,
        problem: `not valid YAML: ${e.message.split("\n")[0] ?? e.code}`,
        fix: syntaxFix(e.code, lines[at.line - 1] ?? ""),
      });
    }
  }

  get parsed(): boolean {
    return this.doc.errors.length === 0;
  }

  /** The node at `path`, or undefined. */
  node(path: YamlPath): Node | undefined {
    const n: unknown = this.doc.getIn(path, true);
    return isNode(n) ? n : undefined;
  }

  /** The key node of the entry `key` in the map at `path` (for findings about the key itself). */
  keyNode(path: YamlPath, key: string): Node | undefined {
    const map = this.node(path);
    if (!isMap(map)) return undefined;
    const pair = map.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === key);
    return isPair(pair) && isNode(pair.key) ? pair.key : undefined;
  }

  /**
   * Position of the deepest existing node along `path` (a missing field is reported where its
   * parent is), preferring `key`'s key node when given.
   */
  position(path: YamlPath, key?: string): { line: number; column: number } {
    let node: Node | undefined;
    if (key !== undefined) node = this.keyNode(path, key);
    for (let n = path.length; node === undefined && n >= 0; n--) {
      const parent = path.slice(0, n - 1);
      const last = path[n - 1];
      // A map's own range starts at its first entry; its key in the parent says where it is.
      node =
        typeof last === "string" && isMap(this.node(path.slice(0, n)))
          ? this.keyNode(parent, last)
          : undefined;
      node ??= this.node(path.slice(0, n));
    }
    const offset = node?.range?.[0] ?? 0;
    const at = this.lines.linePos(offset);
    return { line: at.line, column: at.col };
  }

  report(path: YamlPath, finding: Finding, key?: string): void {
    this.issues.push({ file: this.file, ...this.position(path, key), ...finding });
  }
}

/** The entries of the map at `path` as [key, path], in file order; undefined when it is not a map. */
export function entries(src: Source, path: YamlPath): [string, YamlPath][] | undefined {
  const map = src.node(path);
  if (!isMap(map)) return undefined;
  return map.items.flatMap((p) =>
    isScalar(p.key) ? [[String(p.key.value), [...path, String(p.key.value)]]] : [],
  );
}

export function isMapAt(src: Source, path: YamlPath): boolean {
  return isMap(src.node(path));
}

export function isSeqAt(src: Source, path: YamlPath): boolean {
  return isSeq(src.node(path));
}

/** The plain JavaScript value at `path`. */
export function valueAt(src: Source, path: YamlPath): unknown {
  const n = src.node(path);
  return n === undefined ? undefined : n.toJS(src.doc);
}

function syntaxFix(code: string, line: string): string {
  if (code === "DUPLICATE_KEY") return "give each resource (and each field) one entry";
  // `{` and `}` end a plain value inside [ ] or { }, so a reference there must be quoted.
  if (/\$\{/.test(line) && /[[{]/.test(line.replace(/\$\{[^}]*\}/g, "")))
    return 'quote references inside [ ] or { }, e.g. dependsOn: ["${tide}"], or write them on their own lines';
  return "correct the YAML syntax";
}
