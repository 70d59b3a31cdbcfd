/**
 * A resource as the policy engine sees it, and as the offline plan writes it to
 * `out/<stack>/resources.json`. The policy CLI and the test harness read this shape.
 */
export interface PlanResource {
    /** Pulumi type token, e.g. `kubernetes:networking.k8s.io/v1:NetworkPolicy`. */
    type: string;
    /** Logical name. */
    name: string;
    urn: string;
    /** Input properties as sent to the provider (Kubernetes objects: the manifest). */
    props: Record<string, unknown>;
    /** Parent URN (the stack or a component). */
    parent?: string;
    /** URNs this resource depends on (explicit dependsOn and its inputs' resources). */
    dependencies: string[];
    /** Per input property, the URNs it came from. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference (`urn::id`), when explicit. */
    provider?: string;
    protect: boolean;
    /** Input properties whose changes the engine ignores after creation (the `ignoreChanges` option), when any. */
    ignoreChanges?: string[];
    /** False for component resources. */
    custom: boolean;
}

/** The file the offline plan writes. */
export interface PlanFile {
    project: string;
    stack: string;
    resources: PlanResource[];
}
