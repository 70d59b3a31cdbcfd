/**
 * Kubernetes and DNS name syntax: the one set of patterns the program's config and the pack share.
 * Sources: Kubernetes "Object Names and IDs" and "Labels and Selectors" (kubernetes.io/docs/concepts/
 * overview/working-with-objects/names, .../labels#syntax-and-character-set), the same rules the API
 * server applies (k8s.io/apimachinery pkg/util/validation/validation.go).
 */

/** RFC 1123 label: namespace names, Service names, one DNS label. At most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: a label prefix, dot-separated labels. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a label key (and every label value, which may also be empty). */
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export function isDns1123Label(name: string): boolean {
    return DNS1123_LABEL.test(name);
}

export function isDns1123Subdomain(name: string): boolean {
    return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const name = slash < 0 ? key : key.slice(slash + 1);
    if (slash >= 0) {
        const prefix = key.slice(0, slash);
        if (prefix.length === 0 || !isDns1123Subdomain(prefix)) return false;
    }
    return QUALIFIED_NAME.test(name);
}

/** A label value: empty, or up to 63 characters of the qualified-name alphabet. */
export function isLabelValue(value: string): boolean {
    return value === "" || QUALIFIED_NAME.test(value);
}

/** A lowercase fully qualified domain name with at least two labels, no trailing dot, not all-numeric at the top. */
export function isFqdn(name: string): boolean {
    if (name.length > 253) return false;
    const labels = name.split(".");
    return labels.length >= 2 && labels.every((l) => DNS1123_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}
