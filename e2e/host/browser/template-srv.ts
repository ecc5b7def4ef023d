/**
 * A small TemplateSrv: Grafana's variable syntaxes (`$name`, `${name}`, `${name:format}`, `[[name]]`)
 * resolved from scoped variables, the time range built-ins and the host's own dashboard variables; an
 * unknown variable is left as written, as Grafana does.
 */
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::([^}]+))?\}|\[\[(\w+)(?::([^\]]+))?\]\]/g;

type Format = string | ((value: string | string[], variable?: unknown) => string) | undefined;

function applyFormat(value: string | string[], format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  const values = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'json':
      return JSON.stringify(Array.isArray(value) ? values : value);
    case 'raw':
    case undefined:
    default:
      return values.length === 1 ? values[0]! : `{${values.join(',')}}`;
  }
}

export class HostTemplateSrv implements TemplateSrv {
  private range: TimeRange | undefined;

  constructor(private readonly variables: TypedVariableModel[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables;
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.range = timeRange;
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    return VARIABLE.test(target);
  }

  private lookup(name: string, scopedVars?: ScopedVars): string | string[] | undefined {
    const scoped = scopedVars?.[name];
    if (scoped) {
      return String(scoped.value);
    }
    if (this.range && name === '__from') {
      return String(this.range.from.valueOf());
    }
    if (this.range && name === '__to') {
      return String(this.range.to.valueOf());
    }
    const variable = this.variables.find((v) => v.name === name);
    if (variable && 'current' in variable && variable.current) {
      const value = variable.current.value as string | string[];
      return value;
    }
    return undefined;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, plain, braced, bracedFormat, old, oldFormat) => {
      const name = (plain ?? braced ?? old) as string;
      const value = this.lookup(name, scopedVars);
      if (value === undefined) {
        return match;
      }
      return applyFormat(value, (bracedFormat ?? oldFormat ?? format) as Format);
    });
  }
}
