/**
 * Options for a component's children. Parenting passes the component's provider(s) and `protect`
 * down (pulumi/pulumi sdk/nodejs/resource.ts: a child without its own `protect` or provider takes
 * its parent's), but not `dependsOn`: a component's children would not wait for what the component
 * was told to wait for. Every component here hands its own `dependsOn` to its children with this.
 */
import * as pulumi from "@pulumi/pulumi";

type DependsOn = pulumi.ComponentResourceOptions["dependsOn"];

/** `dependsOn` plus more resources, whatever form the first one takes. */
export function mergeDependsOn(base: DependsOn, extra: readonly pulumi.Input<pulumi.Resource>[] = []): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    if (base === undefined) return [...extra];
    if (Array.isArray(base)) return [...(base as pulumi.Input<pulumi.Resource>[]), ...extra];
    if (pulumi.Resource.isInstance(base)) return [base, ...extra];
    // An Output of a resource or of a list of them: resolve it, then append.
    return pulumi.output(base as pulumi.Input<pulumi.Resource | pulumi.Resource[]>).apply((b) => [...(Array.isArray(b) ? b : [b]), ...extra]) as pulumi.Output<pulumi.Resource[]>;
}

/** `{ parent, dependsOn }` for a child: it inherits provider and protect, and waits for what its parent waits for (and `extra`). */
export function childOptions(parent: pulumi.ComponentResource, opts: pulumi.ComponentResourceOptions | undefined, extra: readonly pulumi.Input<pulumi.Resource>[] = []): pulumi.CustomResourceOptions {
    return { parent, dependsOn: mergeDependsOn(opts?.dependsOn, extra) };
}
