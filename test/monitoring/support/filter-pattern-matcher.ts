/**
 * A small matcher for the subset of CloudWatch Logs JSON filter patterns the deletion monitor
 * uses, so fixtures can be checked offline. It is not CloudWatch: the integration app asks
 * CloudWatch Logs (TestMetricFilter) the same questions on real AWS.
 *
 * Supported: `{ ... }`, `&&`, `||` (`&&` binds tighter), parentheses, and `$.path = value` where
 * path is dotted names and `[n]` indexes and value is a bare word or a double-quoted string, `*`
 * matching any run of characters. A selector that is missing or not a string does not match.
 * Anything else (numbers, `!=`, `IS NULL`, `NOT EXISTS`...) throws, so no test passes on a
 * pattern this matcher does not understand.
 */
export function matchesFilterPattern(pattern: string, record: unknown): boolean {
  const parser = new Parser(pattern);
  const expression = parser.parse();
  return expression(record);
}

type Predicate = (record: unknown) => boolean;

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  public parse(): Predicate {
    this.expect('{');
    const expression = this.or();
    this.expect('}');
    this.skipSpace();
    if (this.position !== this.text.length) { this.unsupported('text after the closing brace'); }
    return expression;
  }

  private or(): Predicate {
    const terms = [this.and()];
    while (this.accept('||')) { terms.push(this.and()); }
    return (record) => terms.some((term) => term(record));
  }

  private and(): Predicate {
    const terms = [this.term()];
    while (this.accept('&&')) { terms.push(this.term()); }
    return (record) => terms.every((term) => term(record));
  }

  private term(): Predicate {
    if (this.accept('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const path = this.selector();
    this.expect('=');
    const wanted = this.value();
    return (record) => {
      const actual = select(record, path);
      return typeof actual === 'string' && wanted.test(actual);
    };
  }

  private selector(): Array<string | number> {
    this.skipSpace();
    const match = /^\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)/.exec(this.text.slice(this.position));
    if (!match) { this.unsupported('a selector other than $.name, $.a.b or $.a[0]'); }
    this.position += match[0].length;
    return [...match[1].matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((part) => part[1] ?? Number(part[2]));
  }

  private value(): RegExp {
    this.skipSpace();
    const rest = this.text.slice(this.position);
    const quoted = /^"([^"\\]*)"/.exec(rest);
    const bare = /^[^\s()&|}"=!<>]+/.exec(rest);
    const raw = quoted ? quoted[1] : bare?.[0];
    if (raw === undefined) { this.unsupported('a value other than a word or a double-quoted string'); }
    if (!quoted && /^-?\d/.test(raw)) { this.unsupported('numeric comparisons'); }
    this.position += (quoted ?? bare)![0].length;
    const body = raw.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${body}$`);
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.position)) {
      this.position += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.accept(token)) { this.unsupported(`anything but ${JSON.stringify(token)} here`); }
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? '')) { this.position += 1; }
  }

  private unsupported(what: string): never {
    throw new Error(`filter pattern matcher: ${what} at offset ${this.position} of ${this.text}`);
  }
}

function select(record: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((node, part) => {
    if (node === null || typeof node !== 'object') { return undefined; }
    return (node as Record<string | number, unknown>)[part];
  }, record);
}
