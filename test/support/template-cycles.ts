/**
 * Circular dependencies between the resources of one template: CloudFormation refuses such a
 * template at deploy time ("Circular dependency between resources"), and CDK does not check it at
 * synth. A resource depends on every resource it names through Ref, Fn::GetAtt, Fn::Sub or
 * DependsOn.
 */

/** Each cycle found, as `A -> B -> A`; empty when the template can deploy in some order. */
export function dependencyCycles(template: { Resources?: Record<string, any> }): string[] {
  const resources = template.Resources ?? {};
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const named = new Set<string>([resource.DependsOn ?? []].flat());
    collectReferences(resource.Properties, named);
    edges.set(id, new Set([...named].filter((target) => target in resources)));
  }
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id)!) {
      if (state.get(next) === 'visiting') { cycles.push([...path.slice(path.indexOf(next)), next].join(' -> ')); }
      if (!state.has(next)) { visit(next); }
    }
    path.pop();
    state.set(id, 'done');
  };
  Object.keys(resources).forEach((id) => { if (!state.has(id)) { visit(id); } });
  return cycles;
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) { value.forEach((entry) => collectReferences(entry, into)); return; }
  if (value === null || typeof value !== 'object') { return; }
  const object = value as Record<string, any>;
  if (typeof object.Ref === 'string') { into.add(object.Ref); }
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt)) { into.add(getAtt[0]); } else if (typeof getAtt === 'string') { into.add(getAtt.split('.')[0]); }
  const sub = object['Fn::Sub'];
  const subText = Array.isArray(sub) ? sub[0] : sub;
  if (typeof subText === 'string') {
    for (const match of subText.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) { into.add(match[1]); }
  }
  Object.values(object).forEach((entry) => collectReferences(entry, into));
}
