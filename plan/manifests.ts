/** Kubernetes objects and Helm releases from captured resources, in the order `pulumi up` applies them. */
import type { PlanResource } from "../policy-pack/plan-resource";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Plain Kubernetes objects the stack creates (not Helm releases, not providers). */
export function isManifest(r: PlanResource): boolean {
    return r.custom && r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE && typeof r.props.kind === "string";
}

/**
 * Resources in dependency order (a resource after everything it depends on), ties kept in
 * registration order; the order the engine can apply them in.
 */
export function applyOrder(resources: readonly PlanResource[]): PlanResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const parentOf = (r: PlanResource): PlanResource | undefined => (r.parent ? byUrn.get(r.parent) : undefined);
    // A dependency on a component means a dependency on all of its descendants.
    const children = new Map<string, PlanResource[]>();
    for (const r of resources) {
        const p = parentOf(r);
        if (!p) continue;
        const list = children.get(p.urn);
        if (list) list.push(r);
        else children.set(p.urn, [r]);
    }
    const expand = (urn: string, out: Set<string>): void => {
        if (out.has(urn)) return;
        out.add(urn);
        for (const c of children.get(urn) ?? []) expand(c.urn, out);
    };
    const deps = new Map<string, Set<string>>();
    for (const r of resources) {
        const set = new Set<string>();
        for (const d of r.dependencies) expand(d, set);
        set.delete(r.urn);
        deps.set(r.urn, set);
    }
    const done = new Set<string>();
    const order: PlanResource[] = [];
    const visiting = new Set<string>();
    const visit = (r: PlanResource): void => {
        if (done.has(r.urn) || visiting.has(r.urn)) return;
        visiting.add(r.urn);
        for (const d of deps.get(r.urn) ?? []) {
            const dep = byUrn.get(d);
            if (dep) visit(dep);
        }
        visiting.delete(r.urn);
        done.add(r.urn);
        order.push(r);
    };
    resources.forEach(visit);
    return order;
}

/** The object as it would be applied: apiVersion, kind, metadata, then the rest. */
export function manifestOf(r: PlanResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = r.props;
    return { apiVersion, kind, metadata, ...rest };
}
