/** Errors for invalid input: they name the object (and where it was read from) and the field. */

/** Where each loaded object came from ("file.yaml document 3"), recorded by loadObjects. */
export const objectSources = new WeakMap<object, string>();

export class AnalysisError extends Error {
    constructor(
        /** "NetworkPolicy team-a/allow-web" (plus " (file.yaml document 2)" when known). */
        readonly object: string,
        /** Dotted path of the offending field, e.g. "spec.ingress[0].from[1].ipBlock.cidr". */
        readonly field: string,
        readonly reason: string,
    ) {
        super(`${object}: ${field}: ${reason}`);
        this.name = "AnalysisError";
    }
}

/** A file or document that cannot be read as Kubernetes objects. */
export class LoadError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "LoadError";
    }
}
